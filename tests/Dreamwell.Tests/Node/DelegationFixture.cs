using System.Collections.Concurrent;
using System.Text.Json;
using Dreamwell.Identity;
using Dreamwell.Node;

namespace Dreamwell.Tests.Node;

/// <summary>A clock the test moves by hand, for delegation expiry.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>
/// A test-only peer request: "test.needs" {scope} makes the receiver call <see cref="PeerLink.RequireScope"/> and answer
/// "test.granted" {scope}, which the asker records. A refused scope ends the link the way a real service's would.
/// </summary>
internal sealed class ScopeProbeService : PeerService
{
    private const string Request = "test.needs";
    private const string Answer = "test.granted";

    public override IReadOnlyCollection<string> MessageTypes => [Request, Answer];
    public ConcurrentQueue<string> Granted { get; } = new();

    public override async ValueTask OnMessageAsync(PeerLink link, string type, JsonElement body, CancellationToken cancellationToken)
    {
        var scope = body.GetProperty("scope").GetString()!;
        if (type == Answer)
        {
            Granted.Enqueue(scope);
            return;
        }
        link.RequireScope(scope);
        await link.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = Answer, scope }), cancellationToken);
    }

    public static byte[] Ask(string scope) => JsonSerializer.SerializeToUtf8Bytes(new { type = Request, scope });
}

/// <summary>A node on any home (a Human's, or an agent's folder) with the scope probe, an optional manual clock and its events.</summary>
internal sealed class ProbeNode : IAsyncDisposable
{
    private ProbeNode(TesseractNode node, ConcurrentQueue<TesseractEvent> events, ScopeProbeService probe)
    {
        Node = node;
        Events = events;
        Probe = probe;
    }

    public TesseractNode Node { get; }
    public ConcurrentQueue<TesseractEvent> Events { get; }
    public ScopeProbeService Probe { get; }
    public string PeerAddress => $"127.0.0.1:{Node.PeerPort}";

    public static ProbeNode Start(DreamHome home, string name, TimeProvider? clock = null)
    {
        var events = new ConcurrentQueue<TesseractEvent>();
        var probe = new ScopeProbeService();
        var node = TesseractNode.Start(home, new TesseractOptions
        {
            Name = name, ControlPort = 0, PeerPort = 0, HeartbeatInterval = TimeSpan.FromMilliseconds(100), OnEvent = events.Enqueue,
            Clock = clock ?? TimeProvider.System, ExtraServices = _ => [probe],
        });
        return new ProbeNode(node, events, probe);
    }

    public TesseractPeer? PeerNamed(string label) => Node.Peers().FirstOrDefault(p => p.Label == label);

    public bool Misbehaved(string errorId) => Events.Any(e => e.Kind == "Misbehaved" && e.Message.StartsWith(errorId + ":", StringComparison.Ordinal));

    /// <summary>Asks the peer for a scope over the open link and waits for its answer.</summary>
    public async Task AskAsync(string peerQuantumId, string scope)
    {
        var before = Probe.Granted.Count(s => s == scope);
        var link = Node.FindLink(peerQuantumId) ?? throw new InvalidOperationException("No open link.");
        await link.SendAsync(ScopeProbeService.Ask(scope), CancellationToken.None);
        await Poll.UntilAsync(() => Probe.Granted.Count(s => s == scope) > before, $"the peer to grant {scope}");
    }

    public async ValueTask DisposeAsync() => await Node.StopAsync().WaitAsync(TestNode.Bound);
}

/// <summary>A Human in a temp home, and the agents it delegates.</summary>
internal sealed class Principal : IDisposable
{
    public Principal(string name)
    {
        Temp = new Support.TempHome();
        Identity = IdentityAccess.NewIdentity(Temp.Home, name, IdentityKind.Human, default, overwrite: false);
    }

    public Support.TempHome Temp { get; }
    public DreamHome Home => Temp.Home;
    public DreamIdentity Identity { get; }

    public DreamDelegation Grant(string name, DelegationScopes scopes, TimeSpan? lifetime = null, DateTimeOffset? now = null)
    {
        using var signer = IdentityStore.OpenSigner(Home);
        return Delegations.Grant(Home, signer, name, scopes, lifetime ?? TimeSpan.FromHours(1), null, now ?? DateTimeOffset.UtcNow);
    }

    public DreamDelegation Revoke(string name)
    {
        using var signer = IdentityStore.OpenSigner(Home);
        return Delegations.Revoke(Home, signer, name, "test", DateTimeOffset.UtcNow);
    }

    public void Dispose() => Temp.Dispose();
}
