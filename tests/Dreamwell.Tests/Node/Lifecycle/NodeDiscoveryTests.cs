using Dreamwell.Node;
using Dreamwell.Node.Discovery;
using Dreamwell.Tests.Discovery;

namespace Dreamwell.Tests.Node.Lifecycle;

/// <summary>A node's discovery: peers on the (loopback) link show up as Discovered, untrusted, and can be dialled by QuantumId.</summary>
public sealed class NodeDiscoveryTests
{
    [LoopbackMulticastFact]
    public async Task Two_nodes_discover_each_other_and_connect_by_QuantumId()
    {
        var discovery = LifecycleNode.PrivateDiscovery();
        await using var alice = LifecycleNode.Start("alice", discovery);
        await using var bob = LifecycleNode.Start("bob", discovery);

        await Poll.UntilAsync(() => alice.Peer(bob.Node.QuantumId)?.State == PeerStates.Discovered, "alice to discover bob");
        var seen = alice.Peer(bob.Node.QuantumId)!;
        Assert.Equal("bob", seen.Label);
        Assert.Equal(bob.PeerAddress, seen.Address);
        Assert.Equal(0, seen.Heartbeats);
        Assert.Empty(alice.Node.KnownPeers.All()); // discovery pins nothing
        Assert.Equal(bob.PeerAddress, alice.Node.DiscoveredAddressOf(bob.Node.QuantumId));
        Assert.StartsWith($"Loopback 127.0.0.1:{discovery.Port}", alice.Node.Status().Discovery);
        Assert.Contains(alice.Events, e => e.Kind == "PeerDiscovered" && e.QuantumId == bob.Node.QuantumId);

        // Through local control, as Connect-Tesseract -Peer <QuantumId> does.
        var linked = await TesseractClient.ForHome(alice.Temp.Home).ConnectAsync(bob.Node.QuantumId);

        Assert.Equal(PeerStates.Connected, linked.State);
        Assert.Equal(bob.Node.QuantumId, linked.QuantumId);
        await Poll.UntilAsync(() => alice.Peer(bob.Node.QuantumId)?.Heartbeats >= 1, "a heartbeat from bob");
        var listed = Assert.Single(alice.Node.Peers(), p => p.QuantumId == bob.Node.QuantumId); // one row: the link, not a Discovered twin
        Assert.Equal(PeerStates.Connected, listed.State);
        Assert.Single(alice.Node.KnownPeers.All()); // pinned by the handshake, not by discovery
    }

    [LoopbackMulticastFact]
    public async Task A_peer_announced_under_another_QuantumId_is_refused()
    {
        var discovery = LifecycleNode.PrivateDiscovery();
        await using var alice = LifecycleNode.Start("alice", discovery);
        await using var bob = LifecycleNode.Start("bob"); // bob itself does not announce
        const string claimed = "00000000000000ee";
        using var liar = new Announcer(new ServiceAnnouncement("liar-" + claimed, claimed, "liar", bob.Node.PeerPort), discovery);
        liar.Start();
        await Poll.UntilAsync(() => alice.Node.DiscoveredAddressOf(claimed) is not null, "alice to hear the lie");

        var refused = await Assert.ThrowsAsync<DreamException>(() => TesseractClient.ForHome(alice.Temp.Home).ConnectAsync(claimed));

        Assert.Equal(TesseractErrors.PeerKeyMismatch, refused.ErrorId);
        Assert.Contains(claimed, refused.Message);
        await Poll.UntilAsync(() => !alice.Node.OpenLinks().Any(), "the link to close");
        Assert.DoesNotContain(alice.Node.Peers(), p => p.QuantumId == bob.Node.QuantumId && p.State == PeerStates.Connected);
    }

    [LoopbackMulticastFact]
    public async Task A_stopping_node_says_goodbye_and_leaves_the_list()
    {
        var discovery = LifecycleNode.PrivateDiscovery();
        await using var alice = LifecycleNode.Start("alice", discovery);
        var bob = LifecycleNode.Start("bob", discovery);
        var bobId = bob.Node.QuantumId;
        await Poll.UntilAsync(() => alice.Peer(bobId) is not null, "alice to discover bob");

        await bob.DisposeAsync();

        await Poll.UntilAsync(() => alice.Peer(bobId) is null, "bob's goodbye");
    }

    [Fact]
    public async Task Without_discovery_options_a_node_neither_announces_nor_lists_strangers()
    {
        await using var alice = LifecycleNode.Start("alice");
        Assert.Equal("Off", alice.Node.Status().Discovery);
        Assert.Null(alice.Node.DiscoveredAddressOf("0123456789abcdef"));
        Assert.Empty(alice.Node.Peers());
    }
}
