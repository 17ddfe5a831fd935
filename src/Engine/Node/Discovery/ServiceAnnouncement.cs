using System.Text;

namespace Dreamwell.Node.Discovery;

/// <summary>What a node announces about itself: the DNS-SD instance and its TXT fields.</summary>
public sealed record ServiceAnnouncement
{
    /// <summary>The FQTP protocol version carried in TXT <c>pv</c>.</summary>
    public const int CurrentProtocolVersion = 1;

    public ServiceAnnouncement(string instanceName, string quantumId, string name, int peerPort, int protocolVersion = CurrentProtocolVersion)
    {
        InstanceName = instanceName;
        QuantumId = quantumId;
        Name = name;
        PeerPort = peerPort;
        ProtocolVersion = protocolVersion;
        Validate();
    }

    /// <summary>The DNS-SD instance label: unique on the link, 1–63 UTF-8 bytes, no dots or control characters.</summary>
    public string InstanceName { get; }
    /// <summary>16 lowercase hex digits (<c>DreamIdentity.QuantumIdOf</c>).</summary>
    public string QuantumId { get; }
    /// <summary>The node's display name (TXT <c>name</c>, up to 63 UTF-8 bytes).</summary>
    public string Name { get; }
    /// <summary>TCP port of FQTP peer links (SRV port and TXT <c>port</c>).</summary>
    public int PeerPort { get; }
    public int ProtocolVersion { get; }

    /// <summary>The default instance label for a node: its name and QuantumId, so two nodes never collide.</summary>
    public static string DefaultInstanceName(string name, string quantumId) =>
        $"{Truncate(name, DnsWireLimits.MaxLabelLength - quantumId.Length - 1)}-{quantumId}";

    internal static bool IsQuantumId(string value) =>
        value.Length == 16 && value.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    internal static bool IsLabel(string value)
    {
        int bytes = Encoding.UTF8.GetByteCount(value);
        return bytes is > 0 and <= DnsWireLimits.MaxLabelLength && !value.Contains('.') && !value.Any(char.IsControl);
    }

    internal static bool IsDisplayName(string value) =>
        Encoding.UTF8.GetByteCount(value) is > 0 and <= DnsWireLimits.MaxLabelLength && !value.Any(char.IsControl);

    private void Validate()
    {
        if (!IsLabel(InstanceName)) throw Invalid($"Instance name '{InstanceName}' must be 1 to 63 UTF-8 bytes without dots or control characters.");
        if (!IsQuantumId(QuantumId)) throw Invalid($"QuantumId '{QuantumId}' must be 16 lowercase hex digits.");
        if (!IsDisplayName(Name)) throw Invalid($"Name '{Name}' must be 1 to 63 UTF-8 bytes without control characters.");
        if (PeerPort is < 1 or > 65535) throw Invalid($"Peer port {PeerPort} is out of range.");
        if (ProtocolVersion is < 1 or > 9999) throw Invalid($"Protocol version {ProtocolVersion} is out of range.");
    }

    private static string Truncate(string value, int maxBytes)
    {
        while (Encoding.UTF8.GetByteCount(value) > maxBytes) value = value[..^1];
        return value.Replace('.', '-');
    }

    private static DreamException Invalid(string message) => new(DiscoveryErrors.InvalidAnnouncement, DreamErrorKind.InvalidArgument, message);
}
