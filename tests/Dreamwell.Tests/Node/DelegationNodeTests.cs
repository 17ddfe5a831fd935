using System.Net;
using System.Net.Sockets;
using System.Text;
using Dreamwell.Identity;
using Dreamwell.Node;
using Dreamwell.Node.Secure;

namespace Dreamwell.Tests.Node;

/// <summary>Agents on real nodes over loopback: who they are seen as, and the scope, expiry and revocation peers enforce.</summary>
public sealed class DelegationNodeTests : IAsyncLifetime
{
    private readonly Principal _alice = new("alice");
    private readonly List<ProbeNode> _nodes = [];

    [Fact]
    public async Task AnAgentLinksToItsHumansNodeAndIsSeenAsAnAgentDelegatedByThatHuman()
    {
        var grant = _alice.Grant("ci-bot", DelegationScopes.Observe | DelegationScopes.Send);
        var (human, agent) = StartNodes(grant);

        var seen = await LinkAsync(human, agent);
        Assert.Equal("Human", seen.Kind);
        Assert.Null(seen.DelegatedBy);

        var bot = human.PeerNamed("ci-bot")!;
        Assert.Equal("Agent", bot.Kind);
        Assert.Equal(_alice.Identity.QuantumId, bot.DelegatedBy);
        Assert.Equal(grant.AgentQuantumId, bot.QuantumId);
        Assert.Equal("Observe, Send", bot.Scopes);
        Assert.Equal(grant.Expires, bot.DelegationExpires);

        await agent.AskAsync(_alice.Identity.QuantumId, "Observe");
        await agent.AskAsync(_alice.Identity.QuantumId, "Send");
        // Human peers hold every scope.
        await human.AskAsync(grant.AgentQuantumId, "Connect");
        Assert.False(human.Misbehaved(DelegationErrors.Scope));
    }

    [Fact]
    public async Task ARequestOutsideTheDelegatedScopesEndsTheLinkWithDelegationScope()
    {
        var grant = _alice.Grant("observer", DelegationScopes.Observe);
        var (human, agent) = await StartLinkedAsync(grant);
        await agent.AskAsync(_alice.Identity.QuantumId, "Observe");

        await agent.Node.FindLink(_alice.Identity.QuantumId)!.SendAsync(ScopeProbeService.Ask("Send"), CancellationToken.None);

        await Poll.UntilAsync(() => agent.PeerNamed("alice")?.State == PeerStates.Closed, "the refused request to end the link");
        Assert.Contains(DelegationErrors.Scope, agent.PeerNamed("alice")!.Reason);
        Assert.Contains("needs Send", agent.PeerNamed("alice")!.Reason);
        await Poll.UntilAsync(() => human.Misbehaved(DelegationErrors.Scope), "alice to report the out-of-scope request");
        Assert.DoesNotContain("Send", agent.Probe.Granted);
    }

    [Fact]
    public async Task WithoutConnectAnAgentMayLinkOnlyToItsOwnHumansNodes()
    {
        using var bobHome = new Principal("bob");
        var homebound = _alice.Grant("homebound", DelegationScopes.Observe);
        var roaming = _alice.Grant("roaming", DelegationScopes.Observe | DelegationScopes.Connect);
        await using var bob = ProbeNode.Start(bobHome.Home, "bob");
        await using var homeboundNode = ProbeNode.Start(new DreamHome(homebound.Path), "homebound");
        await using var roamingNode = ProbeNode.Start(new DreamHome(roaming.Path), "roaming");

        var refused = await Assert.ThrowsAsync<DreamException>(() => homeboundNode.Node.ConnectAsync(bob.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound));
        Assert.Contains(DelegationErrors.Scope, refused.Message);
        Assert.Contains("Connect", refused.Message);
        await Poll.UntilAsync(() => bob.Misbehaved(DelegationErrors.Scope), "bob to report Scope");

        // Bob also refuses when he is the one who dials.
        var dialed = await Assert.ThrowsAsync<DreamException>(() => bob.Node.ConnectAsync(homeboundNode.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound));
        Assert.Equal(DelegationErrors.Scope, dialed.ErrorId);

        var seen = await roamingNode.Node.ConnectAsync(bob.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound);
        Assert.Equal(PeerStates.Connected, seen.State);
        await Poll.UntilAsync(() => bob.PeerNamed("roaming")?.DelegatedBy == _alice.Identity.QuantumId, "bob to see whose agent it is");
    }

    [Fact]
    public async Task AnExpiredDelegationIsRefusedAtHelloAndReportedAsMisbehaviour()
    {
        var grant = _alice.Grant("ci-bot", DelegationScopes.Observe, TimeSpan.FromHours(1));
        var clock = new ManualClock(DateTimeOffset.UtcNow + TimeSpan.FromHours(2));
        var (human, agent) = StartNodes(grant, clock);

        var refused = await Assert.ThrowsAsync<DreamException>(() => agent.Node.ConnectAsync(human.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound));
        Assert.Contains(DelegationErrors.Expired, refused.Message);
        await Poll.UntilAsync(() => human.Misbehaved(DelegationErrors.Expired), "human to report Expired");
        Assert.Empty(human.Node.KnownPeers.All());

        // And when the Human's node dials an expired agent, it refuses the agent's hello itself.
        var dialed = await Assert.ThrowsAsync<DreamException>(() => human.Node.ConnectAsync(agent.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound));
        Assert.Equal(DelegationErrors.Expired, dialed.ErrorId);
    }

    [Fact]
    public async Task ADelegationThatExpiresDuringALinkFailsTheNextRequest()
    {
        var grant = _alice.Grant("ci-bot", DelegationScopes.Observe, TimeSpan.FromHours(1));
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var (human, agent) = await StartLinkedAsync(grant, clock);
        await agent.AskAsync(_alice.Identity.QuantumId, "Observe");

        // Asked directly, so that no heartbeat can end the link first (that path has its own test below).
        var link = human.Node.FindLink(grant.AgentQuantumId)!;
        link.RequireScope("Observe");
        clock.Now = grant.Expires - TimeSpan.FromMilliseconds(1);
        link.RequireScope("Observe");
        clock.Now = grant.Expires;
        var error = Assert.Throws<DreamException>(() => link.RequireScope("Observe"));
        Assert.Equal(DelegationErrors.Expired, error.ErrorId);
        Assert.Contains("expired at", error.Message);
    }

    [Fact]
    public async Task AnIdleAgentLinkEndsAtTheFirstHeartbeatAfterExpiryWithoutBlame()
    {
        var grant = _alice.Grant("ci-bot", DelegationScopes.Observe, TimeSpan.FromHours(1));
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var (human, agent) = await StartLinkedAsync(grant, clock);
        await Poll.UntilAsync(() => human.PeerNamed("ci-bot")?.Heartbeats >= 1, "a heartbeat from ci-bot");

        clock.Now = grant.Expires + TimeSpan.FromSeconds(1);

        await Poll.UntilAsync(() => human.PeerNamed("ci-bot")?.State == PeerStates.Closed, "the lapsed link to end");
        Assert.Contains("expired", human.PeerNamed("ci-bot")!.Reason);
        await Poll.UntilAsync(() => agent.PeerNamed("alice")?.State == PeerStates.Closed, "ci-bot to hear why");
        Assert.Contains(DelegationErrors.Expired, agent.PeerNamed("alice")!.Reason);
        Assert.False(human.Misbehaved(DelegationErrors.Expired));
    }

    [Fact]
    public async Task ARevokedAgentIsRefusedByItsHumansNodeAtHelloAndOnItsNextRequest()
    {
        var grant = _alice.Grant("ci-bot", DelegationScopes.Observe);
        var (human, agent) = await StartLinkedAsync(grant);

        _alice.Revoke("ci-bot");
        await agent.Node.FindLink(_alice.Identity.QuantumId)!.SendAsync(ScopeProbeService.Ask("Observe"), CancellationToken.None);
        await Poll.UntilAsync(() => agent.PeerNamed("alice")?.State == PeerStates.Closed, "the revoked agent's request to end the link");
        Assert.Contains(DelegationErrors.Revoked, agent.PeerNamed("alice")!.Reason);

        var refused = await Assert.ThrowsAsync<DreamException>(() => agent.Node.ConnectAsync(human.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound));
        Assert.Contains(DelegationErrors.Revoked, refused.Message);
        await Poll.UntilAsync(() => human.Misbehaved(DelegationErrors.Revoked), "human to report Revoked");
    }

    [Fact]
    public async Task ATamperedCertificateIsRefused()
    {
        var grant = _alice.Grant("ci-bot", DelegationScopes.Observe);
        var human = StartHuman();
        var agentHome = new DreamHome(grant.Path);
        var certificate = File.ReadAllBytes(Delegations.CertificatePath(agentHome));
        certificate[6] |= (byte)DelegationScopes.Send; // widen the scopes the Human signed

        using var signer = IdentityStore.OpenSigner(agentHome);
        using var key = IdentityKeyPair.FromSigner(signer);
        var answer = await HelloAsync(human, key, "ci-bot", certificate);
        Assert.Contains(DelegationErrors.Invalid, answer);
        Assert.Contains("signature", answer);
        await Poll.UntilAsync(() => human.Misbehaved(DelegationErrors.Invalid), "human to report Invalid");
    }

    [Fact]
    public async Task ACertificateForAnotherKeyIsRefused()
    {
        var grant = _alice.Grant("ci-bot", DelegationScopes.Observe | DelegationScopes.Send | DelegationScopes.Connect);
        var human = StartHuman();
        var stolen = File.ReadAllBytes(Delegations.CertificatePath(new DreamHome(grant.Path)));

        using var thief = IdentityKeyPair.Generate();
        var answer = await HelloAsync(human, thief, "ci-bot", stolen);
        Assert.Contains(DelegationErrors.Invalid, answer);
        Assert.Contains($"is for agent {grant.AgentQuantumId}", answer);
        Assert.Empty(human.Node.KnownPeers.All());
    }

    [Fact]
    public async Task AnAgentWithoutACertificateIsRefused()
    {
        var human = StartHuman();
        using var key = IdentityKeyPair.Generate();
        var answer = await HelloAsync(human, key, "self-made", null);
        Assert.Contains(DelegationErrors.Missing, answer);
    }

    [Fact]
    public async Task AHumanHelloMayNotCarryADelegation()
    {
        var grant = _alice.Grant("ci-bot", DelegationScopes.Observe);
        var human = StartHuman();
        var agentHome = new DreamHome(grant.Path);
        using var signer = IdentityStore.OpenSigner(agentHome);
        using var key = IdentityKeyPair.FromSigner(signer);
        var answer = await HelloAsync(human, key, "ci-bot", File.ReadAllBytes(Delegations.CertificatePath(agentHome)), kind: "Human");
        Assert.Contains(TesseractErrors.ProtocolViolation, answer);
    }

    [Fact]
    public async Task AnAgentWhoseOwnCertificateIsDamagedSaysSoAndNoPeerIsBlamed()
    {
        var grant = _alice.Grant("ci-bot", DelegationScopes.Observe);
        var agentHome = new DreamHome(grant.Path);
        var path = Delegations.CertificatePath(agentHome);
        var damaged = File.ReadAllBytes(path);
        damaged[^1] ^= 0xFF;
        File.WriteAllBytes(path, damaged);
        var (human, agent) = StartNodes(grant);

        var error = await Assert.ThrowsAsync<DreamException>(() => agent.Node.ConnectAsync(human.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound));
        Assert.Equal(DelegationErrors.OwnCertificateUnusable, error.ErrorId);
        Assert.Contains("delegation.cert", error.Message);
        Assert.DoesNotContain(agent.Events, e => e.Kind == "Misbehaved");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        try
        {
            foreach (var node in Enumerable.Reverse(_nodes)) await node.DisposeAsync();
        }
        finally
        {
            _alice.Dispose();
        }
    }

    private ProbeNode Start(DreamHome home, string name, TimeProvider? clock = null)
    {
        var node = ProbeNode.Start(home, name, clock);
        _nodes.Add(node);
        return node;
    }

    /// <summary>The Human's node (on a test clock where given), in alice's home.</summary>
    private ProbeNode StartHuman(TimeProvider? clock = null) => Start(_alice.Home, "alice", clock);

    /// <summary>The Human's node and the node of the agent <paramref name="grant"/> made, in the agent's own folder.</summary>
    private (ProbeNode Human, ProbeNode Agent) StartNodes(DreamDelegation grant, TimeProvider? humanClock = null) =>
        (StartHuman(humanClock), Start(new DreamHome(grant.Path), grant.Name));

    /// <summary>Both nodes, the agent linked to the Human's (see <see cref="LinkAsync"/>).</summary>
    private async Task<(ProbeNode Human, ProbeNode Agent)> StartLinkedAsync(DreamDelegation grant, TimeProvider? humanClock = null)
    {
        var (human, agent) = StartNodes(grant, humanClock);
        await LinkAsync(human, agent);
        return (human, agent);
    }

    /// <summary>Dials the Human's node from the agent's and waits until the Human sees the agent connected; returns how the agent sees the Human.</summary>
    private static async Task<TesseractPeer> LinkAsync(ProbeNode human, ProbeNode agent)
    {
        var seen = await agent.Node.ConnectAsync(human.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound);
        var agentName = agent.Node.Name;
        await Poll.UntilAsync(() => human.PeerNamed(agentName)?.State == PeerStates.Connected, $"alice to see {agentName} connected");
        return seen;
    }

    /// <summary>Dials <paramref name="node"/> with <paramref name="key"/>, sends a hello carrying <paramref name="certificate"/> and returns the first answer.</summary>
    private static async Task<string> HelloAsync(ProbeNode node, IdentityKeyPair key, string name, byte[]? certificate, string kind = "Agent")
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, node.Node.PeerPort).WaitAsync(TestNode.Bound);
        using var link = await SecureChannel.ConnectAsync(tcp.GetStream(), key).WaitAsync(TestNode.Bound);
        var qid = DreamIdentity.QuantumIdOf(key.PublicKey);
        await link.SendAsync(FqtpMessages.EncodeHello(m => key.Sign(m), link.HandshakeHash, name, qid, kind, 0, new string('0', 64), certificate));
        return Encoding.UTF8.GetString((await link.ReceiveAsync().WaitAsync(TestNode.Bound))!);
    }
}
