using System.Net;
using Dreamwell.Node.Discovery;

namespace Dreamwell.Tests.Discovery;

/// <summary>
/// Discovery tests run only on loopback: every options object they use comes from here, with the
/// interface pinned to 127.0.0.1 and a fresh port so parallel runs never hear each other.
/// </summary>
internal static class LoopbackMulticast
{
    private static readonly Lazy<string?> UnavailableReason = new(Probe);

    public static string? WhyUnavailable => UnavailableReason.Value;

    public static DiscoveryOptions Options() => new()
    {
        InterfaceAddress = IPAddress.Loopback,
        MulticastTtl = 1,
        Port = Random.Shared.Next(40000, 60000),
        QueryInterval = TimeSpan.FromSeconds(1),
        AnnounceInterval = TimeSpan.FromSeconds(2),
    };

    /// <summary>Sends one query to the group on loopback and waits for our own copy to come back.</summary>
    private static string? Probe()
    {
        var options = Options();
        using var heard = new ManualResetEventSlim();
        try
        {
            using var transport = new MulticastTransport(options, (_, _) => heard.Set());
            for (int attempt = 0; attempt < 3 && !heard.IsSet; attempt++)
            {
                transport.Send(new DnsMessage(false, [new DnsQuestion("probe.local", DnsType.Ptr)], [], []));
                heard.Wait(TimeSpan.FromSeconds(1));
            }
            return heard.IsSet ? null : $"multicast to {options.Group} on 127.0.0.1 is not looped back in this environment";
        }
        catch (DreamException e)
        {
            return $"multicast on loopback is unavailable here: {e.Message}";
        }
    }
}

/// <summary>A fact that is skipped, with the reason, where multicast on loopback does not work.</summary>
public sealed class LoopbackMulticastFactAttribute : FactAttribute
{
    public LoopbackMulticastFactAttribute()
    {
        if (LoopbackMulticast.WhyUnavailable is { } reason) Skip = "Discovery needs multicast on loopback: " + reason;
    }
}
