using System.Net;
using System.Net.Sockets;
using System.Text;
using Dreamwell.Identity;
using Dreamwell.Node;
using Dreamwell.Node.Secure;

namespace Dreamwell.Tests.Node;

/// <summary>Agents on real nodes over loopback: who they are seen as, and the scope, expiry and revocation peers enforce.</summary>
public sealed class DelegationNodeTests
{
    [Fact]
    public async Task AnAgentLinksToItsHumansNodeAndIsSeenAsAnAgentDelegatedByThatHuman()
    {
        using var alice = new Principal("alice");
        var grant = alice.Grant("ci-bot", DelegationScopes.Observe | DelegationScopes.Send);
        await using var human = ProbeNode.Start(alice.Home, "alice");
        await using var agent = ProbeNode.Start(new DreamHome(grant.Path), "ci-bot");

        var seen = await agent.Node.ConnectAsync(human.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound);
        Assert.Equal("Human", seen.Kind);
        Assert.Null(seen.DelegatedBy);
        await Poll.UntilAsync(() => human.PeerNamed("ci-bot")?.State == PeerStates.Connected, "alice to see ci-bot");

        var bot = human.PeerNamed("ci-bot")!;
        Assert.Equal("Agent", bot.Kind);
        Assert.Equal(alice.Identity.QuantumId, bot.DelegatedBy);
        Assert.Equal(grant.AgentQuantumId, bot.QuantumId);
        Assert.Equal("Observe, Send", bot.Scopes);
        Assert.Equal(grant.Expires, bot.DelegationExpires);

        await agent.AskAsync(alice.Identity.QuantumId, "Observe");
        await agent.AskAsync(alice.Identity.QuantumId, "Send");
        // Human peers hold every scope.
        await human.AskAsync(grant.AgentQuantumId, "Connect");
        Assert.False(human.Misbehaved(DelegationErrors.Scope));
    }

    [Fact]
    public async Task ARequestOutsideTheDelegatedScopesEndsTheLinkWithDelegationScope()
    {
        using var alice = new Principal("alice");
        var grant = alice.Grant("observer", DelegationScopes.Observe);
        await using var human = ProbeNode.Start(alice.Home, "alice");
        await using var agent = ProbeNode.Start(new DreamHome(grant.Path), "observer");
        await agent.Node.ConnectAsync(human.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound);
        await Poll.UntilAsync(() => human.PeerNamed("observer")?.State == PeerStates.Connected, "the link");
        await agent.AskAsync(alice.Identity.QuantumId, "Observe");

        await agent.Node.FindLink(alice.Identity.QuantumId)!.SendAsync(ScopeProbeService.Ask("Send"), CancellationToken.None);

        await Poll.UntilAsync(() => agent.PeerNamed("alice")?.State == PeerStates.Closed, "the refused request to end the link");
        Assert.Contains(DelegationErrors.Scope, agent.PeerNamed("alice")!.Reason);
        Assert.Contains("needs Send", agent.PeerNamed("alice")!.Reason);
        await Poll.UntilAsync(() => human.Misbehaved(DelegationErrors.Scope), "alice to report the out-of-scope request");
        Assert.DoesNotContain("Send", agent.Probe.Granted);
    }

    [Fact]
    public async Task WithoutConnectAnAgentMayLinkOnlyToItsOwnHumansNodes()
    {
        using var alice = new Principal("alice");
        using var bobHome = new Principal("bob");
        var homebound = alice.Grant("homebound", DelegationScopes.Observe);
        var roaming = alice.Grant("roaming", DelegationScopes.Observe | DelegationScopes.Connect);
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
        await Poll.UntilAsync(() => bob.PeerNamed("roaming")?.DelegatedBy == alice.Identity.QuantumId, "bob to see whose agent it is");
    }

    [Fact]
    public async Task AnExpiredDelegationIsRefusedAtHelloAndReportedAsMisbehaviour()
    {
        using var alice = new Principal("alice");
        var grant = alice.Grant("ci-bot", DelegationScopes.Observe, TimeSpan.FromHours(1));
        var clock = new ManualClock(DateTimeOffset.UtcNow + TimeSpan.FromHours(2));
        await using var human = ProbeNode.Start(alice.Home, "alice", clock);
        await using var agent = ProbeNode.Start(new DreamHome(grant.Path), "ci-bot");

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
        using var alice = new Principal("alice");
        var grant = alice.Grant("ci-bot", DelegationScopes.Observe, TimeSpan.FromHours(1));
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var human = ProbeNode.Start(alice.Home, "alice", clock);
        await using var agent = ProbeNode.Start(new DreamHome(grant.Path), "ci-bot");
        await agent.Node.ConnectAsync(human.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound);
        await Poll.UntilAsync(() => human.PeerNamed("ci-bot")?.State == PeerStates.Connected, "the link");
        await agent.AskAsync(alice.Identity.QuantumId, "Observe");

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
        using var alice = new Principal("alice");
        var grant = alice.Grant("ci-bot", DelegationScopes.Observe, TimeSpan.FromHours(1));
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var human = ProbeNode.Start(alice.Home, "alice", clock);
        await using var agent = ProbeNode.Start(new DreamHome(grant.Path), "ci-bot");
        await agent.Node.ConnectAsync(human.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound);
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
        using var alice = new Principal("alice");
        var grant = alice.Grant("ci-bot", DelegationScopes.Observe);
        await using var human = ProbeNode.Start(alice.Home, "alice");
        await using var agent = ProbeNode.Start(new DreamHome(grant.Path), "ci-bot");
        await agent.Node.ConnectAsync(human.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound);
        await Poll.UntilAsync(() => human.PeerNamed("ci-bot")?.State == PeerStates.Connected, "the link");

        alice.Revoke("ci-bot");
        await agent.Node.FindLink(alice.Identity.QuantumId)!.SendAsync(ScopeProbeService.Ask("Observe"), CancellationToken.None);
        await Poll.UntilAsync(() => agent.PeerNamed("alice")?.State == PeerStates.Closed, "the revoked agent's request to end the link");
        Assert.Contains(DelegationErrors.Revoked, agent.PeerNamed("alice")!.Reason);

        var refused = await Assert.ThrowsAsync<DreamException>(() => agent.Node.ConnectAsync(human.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound));
        Assert.Contains(DelegationErrors.Revoked, refused.Message);
        await Poll.UntilAsync(() => human.Misbehaved(DelegationErrors.Revoked), "human to report Revoked");
    }

    [Fact]
    public async Task ATamperedCertificateIsRefused()
    {
        using var alice = new Principal("alice");
        var grant = alice.Grant("ci-bot", DelegationScopes.Observe);
        await using var human = ProbeNode.Start(alice.Home, "alice");
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
        using var alice = new Principal("alice");
        var grant = alice.Grant("ci-bot", DelegationScopes.Observe | DelegationScopes.Send | DelegationScopes.Connect);
        await using var human = ProbeNode.Start(alice.Home, "alice");
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
        using var alice = new Principal("alice");
        await using var human = ProbeNode.Start(alice.Home, "alice");
        using var key = IdentityKeyPair.Generate();
        var answer = await HelloAsync(human, key, "self-made", null);
        Assert.Contains(DelegationErrors.Missing, answer);
    }

    [Fact]
    public async Task AHumanHelloMayNotCarryADelegation()
    {
        using var alice = new Principal("alice");
        var grant = alice.Grant("ci-bot", DelegationScopes.Observe);
        await using var human = ProbeNode.Start(alice.Home, "alice");
        var agentHome = new DreamHome(grant.Path);
        using var signer = IdentityStore.OpenSigner(agentHome);
        using var key = IdentityKeyPair.FromSigner(signer);
        var answer = await HelloAsync(human, key, "ci-bot", File.ReadAllBytes(Delegations.CertificatePath(agentHome)), kind: "Human");
        Assert.Contains(TesseractErrors.ProtocolViolation, answer);
    }

    [Fact]
    public async Task AnAgentWhoseOwnCertificateIsDamagedSaysSoAndNoPeerIsBlamed()
    {
        using var alice = new Principal("alice");
        var grant = alice.Grant("ci-bot", DelegationScopes.Observe);
        var agentHome = new DreamHome(grant.Path);
        var path = Delegations.CertificatePath(agentHome);
        var damaged = File.ReadAllBytes(path);
        damaged[^1] ^= 0xFF;
        File.WriteAllBytes(path, damaged);
        await using var human = ProbeNode.Start(alice.Home, "alice");
        await using var agent = ProbeNode.Start(agentHome, "ci-bot");

        var error = await Assert.ThrowsAsync<DreamException>(() => agent.Node.ConnectAsync(human.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound));
        Assert.Equal(DelegationErrors.OwnCertificateUnusable, error.ErrorId);
        Assert.Contains("delegation.cert", error.Message);
        Assert.DoesNotContain(agent.Events, e => e.Kind == "Misbehaved");
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
