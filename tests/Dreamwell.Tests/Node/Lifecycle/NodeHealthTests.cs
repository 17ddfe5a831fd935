using System.Net.Sockets;
using Dreamwell.Node;
using Dreamwell.Quantum;

namespace Dreamwell.Tests.Node.Lifecycle;

/// <summary>Get-TesseractStatus carries the health model fed with what the running node observed (docs/health-model.md §7).</summary>
public sealed class NodeHealthTests
{
    [Fact]
    public async Task An_isolated_node_is_not_healthy_for_want_of_peers_and_its_rho_is_a_density_matrix()
    {
        await using var alice = LifecycleNode.Start("alice");

        var health = alice.Node.Status().Health!;

        Assert.NotEqual("Healthy", health.Status);
        Assert.Contains("NoObservation(Peers)", health.Alerts);
        Assert.DoesNotContain(health.Alerts, a => a.StartsWith("ServiceDown", StringComparison.Ordinal) || a.StartsWith("PopulationCollapse", StringComparison.Ordinal));
        var rho = health.ToDensityMatrix();
        Assert.Equal(5, rho.Dimension);
        Assert.Equal(1.0, Enumerable.Range(0, 5).Sum(i => health.Rho[i][i]), 9);
        Assert.Equal(0.0, health.Rho[(int)TesseractService.Peers][(int)TesseractService.Peers]);
        Assert.Equal(rho.Entropy, health.Entropy, 9);
        Assert.True(health.FreeEnergy >= 0);
        Assert.True(health.Counters.ChainValid);
        Assert.Equal(4, health.Observations.Length);
    }

    [Fact]
    public async Task Linked_nodes_with_heartbeats_observe_their_peer_and_are_healthy()
    {
        await using var alice = LifecycleNode.Start("alice");
        await using var bob = LifecycleNode.Start("bob");
        await alice.Node.ConnectAsync(bob.PeerAddress, CancellationToken.None);
        await Poll.UntilAsync(() => alice.Peer(bob.Node.QuantumId)?.Heartbeats >= 3, "heartbeats from bob");

        var status = alice.Node.Status();
        var health = status.Health!;

        var peers = Assert.Single(health.Observations, o => o.Service == TesseractService.Peers);
        Assert.Equal(1, peers.PeerCount);
        Assert.Equal(1, health.Counters.LinksOpen);
        Assert.Equal(1, health.Counters.LinksUp);
        Assert.Equal(1, health.Counters.HandshakesCompleted);
        Assert.True(health.Counters.HeartbeatsReceived >= 3);
        Assert.Equal(0, health.Counters.HandshakesFailed);
        // Latencies are real measurements on a shared machine, so only the structural alerts are asserted.
        Assert.DoesNotContain(health.Alerts, a => a.StartsWith("NoObservation", StringComparison.Ordinal) || a.StartsWith("ServiceDown", StringComparison.Ordinal) || a.StartsWith("PopulationCollapse", StringComparison.Ordinal));
        Assert.Equal(health.FreeEnergy, status.FreeEnergy);
        Assert.True(health.Rho[(int)TesseractService.Peers][(int)TesseractService.Peers] > 0.1);
    }

    [Fact]
    public async Task A_failed_handshake_raises_the_FQTP_error_rate()
    {
        await using var alice = LifecycleNode.Start("alice");
        Assert.Equal(0, Fqtp(alice).ErrorRate);

        using (var stranger = new TcpClient())
        {
            await stranger.ConnectAsync("127.0.0.1", alice.Node.PeerPort);
            await stranger.GetStream().WriteAsync(new byte[] { 0, 4, 1, 2, 3, 4 });
        }
        await Poll.UntilAsync(() => alice.Node.Status().Health!.Counters.HandshakesFailed >= 1, "the failed handshake to be counted");

        Assert.True(Fqtp(alice).ErrorRate > 0);
    }

    [Fact]
    public async Task A_peer_whose_heartbeats_do_not_come_loses_coherence_on_Peers()
    {
        await using var alice = LifecycleNode.Start("alice");
        await using var bob = LifecycleNode.Start("bob", heartbeat: TimeSpan.FromSeconds(30)); // beats far slower than alice expects
        await alice.Node.ConnectAsync(bob.PeerAddress, CancellationToken.None);
        await Poll.UntilAsync(() => alice.Node.Status().Health!.Counters.HeartbeatsExpected >= 10, "ten heartbeats to fall due");

        var health = alice.Node.Status().Health!;

        Assert.Equal(0, health.Counters.HeartbeatsReceived);
        var peers = health.Observations.Single(o => o.Service == TesseractService.Peers);
        Assert.Equal(1.0, peers.ErrorRate);
        Assert.True(peers.LatencyMs > 0);
        Assert.Contains("CoherenceLoss(Universe–Peers)", health.Alerts);
    }

    [Fact]
    public async Task A_broken_seal_chain_takes_the_Universe_service_down()
    {
        await using var alice = LifecycleNode.Start("alice");
        Assert.True(alice.Node.Status().Health!.Counters.ChainValid);

        await File.AppendAllTextAsync(alice.Temp.Home.ChainFile, "this is not a seal record\n");

        var health = alice.Node.Status().Health!;
        Assert.False(health.Counters.ChainValid);
        Assert.False(health.Observations.Single(o => o.Service == TesseractService.Universe).Up);
        Assert.Contains("ServiceDown(Universe)", health.Alerts);
        Assert.Equal("Critical", health.Status);
    }

    [Fact]
    public async Task Health_travels_over_local_control()
    {
        await using var alice = LifecycleNode.Start("alice");

        var status = await TesseractClient.ForHome(alice.Temp.Home).StatusAsync();

        Assert.NotNull(status.Health);
        Assert.Equal(5, status.Health.Rho.Length);
        Assert.Contains("NoObservation(Peers)", status.Health.Alerts);
        Assert.Equal(status.Health.FreeEnergy, status.FreeEnergy);
        Assert.Equal(TesseractService.LQTP, status.Health.Observations[2].Service);
        Assert.True(status.Health.Observations[2].Up);
        Assert.Equal(5, status.Health.ToDensityMatrix().Dimension);
    }

    private static ServiceObservation Fqtp(LifecycleNode node) =>
        node.Node.Status().Health!.Observations.Single(o => o.Service == TesseractService.FQTP);
}
