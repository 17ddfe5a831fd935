using Dreamwell.Node;
using Dreamwell.Tests.Support;

namespace Dreamwell.Tests.Node.Lifecycle;

/// <summary>Nodes as real `dream` processes: foreground `dream tesseract start`, and Start-Tesseract -Detached.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class DreamProcessTests
{
    private static readonly string[] Fast = ["--control-port", "0", "--peer-port", "0", "--heartbeat-ms", "100"];

    [DreamHostFact]
    public async Task Two_dream_processes_link_heartbeat_and_clean_up_when_stopped()
    {
        using var aliceHome = new TempHome();
        using var bobHome = new TempHome();
        using var alice = DreamProcess.Start(aliceHome.Home, ["tesseract", "start", "--name", "alice", .. Fast, "--no-discovery"]);
        using var bob = DreamProcess.Start(bobHome.Home, ["tesseract", "start", "--name", "bob", .. Fast, "--no-discovery"]);
        try
        {
            await DreamProcess.WaitUntilAnsweringAsync(aliceHome.Home, () => alice.Output);
            var bobStatus = await DreamProcess.WaitUntilAnsweringAsync(bobHome.Home, () => bob.Output);
            var aliceClient = TesseractClient.ForHome(aliceHome.Home);
            var bobClient = TesseractClient.ForHome(bobHome.Home);
            Assert.Equal(bob.Process.Id, bobStatus.ProcessId);

            var linked = await aliceClient.ConnectAsync($"127.0.0.1:{bobStatus.PeerPort}");
            Assert.Equal("bob", linked.Label);

            await Poll.UntilAsync(() => Beats(aliceClient, "bob") >= 2 && Beats(bobClient, "alice") >= 2, "heartbeats both ways", DreamProcess.Bound);
            Assert.Equal(1, (await aliceClient.StatusAsync()).ConnectedPeers);
            Assert.Equal(1, (await bobClient.StatusAsync()).Health!.Counters.LinksOpen);

            await aliceClient.StopAsync();
            await bobClient.StopAsync();
            Assert.Equal(0, await alice.WaitForExitAsync());
            Assert.Equal(0, await bob.WaitForExitAsync());
            foreach (var home in new[] { aliceHome.Home, bobHome.Home })
            {
                Assert.False(File.Exists(TesseractNode.InfoPath(home)), $"tesseract.json left in {home.Path}");
                Assert.False(File.Exists(Path.Combine(home.Path, "control.token")), $"control.token left in {home.Path}");
            }
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new Exception($"{e.Message}\n--- alice:\n{alice.Output}\n--- bob:\n{bob.Output}", e);
        }
    }

    [DreamHostDiscoveryFact]
    public async Task Dream_processes_discover_each_other_and_connect_by_QuantumId()
    {
        var port = Discovery.LoopbackMulticast.Options().Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var aliceHome = new TempHome();
        using var bobHome = new TempHome();
        using var alice = DreamProcess.Start(aliceHome.Home, ["tesseract", "start", "--name", "alice", .. Fast, "--discovery-port", port]);
        using var bob = DreamProcess.Start(bobHome.Home, ["tesseract", "start", "--name", "bob", .. Fast, "--discovery-port", port]);
        try
        {
            await DreamProcess.WaitUntilAnsweringAsync(aliceHome.Home, () => alice.Output);
            var bobStatus = await DreamProcess.WaitUntilAnsweringAsync(bobHome.Home, () => bob.Output);
            var aliceClient = TesseractClient.ForHome(aliceHome.Home);
            Assert.Equal($"Loopback 127.0.0.1:{port}", bobStatus.Discovery);

            await Poll.UntilAsync(() => aliceClient.PeersAsync().GetAwaiter().GetResult().Any(p => p.QuantumId == bobStatus.QuantumId && p.State == PeerStates.Discovered),
                "alice to discover bob", DreamProcess.Bound);
            var linked = await aliceClient.ConnectAsync(bobStatus.QuantumId);

            Assert.Equal(PeerStates.Connected, linked.State);
            Assert.Equal("bob", linked.Label);
            await aliceClient.StopAsync();
            await TesseractClient.ForHome(bobHome.Home).StopAsync();
            Assert.Equal(0, await alice.WaitForExitAsync());
            Assert.Equal(0, await bob.WaitForExitAsync());
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new Exception($"{e.Message}\n--- alice:\n{alice.Output}\n--- bob:\n{bob.Output}", e);
        }
    }

    [DreamHostFact]
    public async Task A_detached_node_outlives_the_dream_session_that_started_it()
    {
        using var temp = new TempHome();
        try
        {
            using var session = DreamProcess.Start(temp.Home, "-NoProfile", "-NonInteractive", "-Command",
                "Start-Tesseract -Detached -Name keeper -ControlPort 0 -PeerPort 0 -NoDiscovery | Select-Object -ExpandProperty ProcessId");
            Assert.True(await session.WaitForExitAsync() == 0, session.Output);

            var info = TesseractNode.ReadInfo(temp.Home);
            Assert.NotNull(info);
            Assert.NotEqual(session.Process.Id, info.Pid);
            Assert.Contains(info.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), session.Output);
            var status = await TesseractClient.ForHome(temp.Home).StatusAsync();
            Assert.Equal("keeper", status.Name);
            Assert.Equal(info.Pid, status.ProcessId);
            var log = Assert.Single(Directory.GetFiles(Path.Combine(temp.Home.Path, "logs"), "tesseract-*.log"));

            using var stop = DreamProcess.Start(temp.Home, "-NoProfile", "-NonInteractive", "-Command", "Stop-Tesseract");
            Assert.True(await stop.WaitForExitAsync() == 0, stop.Output);

            Assert.Null(TesseractNode.ReadInfo(temp.Home));
            Assert.False(File.Exists(Path.Combine(temp.Home.Path, "control.token")));
            await Poll.UntilAsync(() => !IsRunning(info.Pid), "the detached process to exit", DreamProcess.Bound);
            Assert.Contains("keeper stopped", File.ReadAllText(log));
        }
        finally
        {
            DreamProcess.KillLeftover(temp.Home);
        }
    }

    [DreamHostFact]
    public void A_detached_node_that_cannot_start_is_reported_with_its_log()
    {
        using var temp = new TempHome();
        using var busy = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        busy.Start();
        var port = ((System.Net.IPEndPoint)busy.LocalEndpoint).Port;
        try
        {
            var dream = new DreamLocator.DreamCommand(DreamProcess.Executable!, []);
            var arguments = DetachedTesseract.Arguments("blocked", 0, port, TimeSpan.FromMilliseconds(100), null, null);

            var error = Assert.Throws<DreamException>(() => DetachedTesseract.Start(temp.Home, dream, arguments, DreamProcess.Bound, CancellationToken.None));

            Assert.Equal(DetachedTesseract.Failed, error.ErrorId);
            Assert.Contains("exited", error.Message);
            Assert.Contains($"{port}", error.Message); // the log tail names the busy port
        }
        finally
        {
            busy.Stop();
            DreamProcess.KillLeftover(temp.Home);
        }
    }

    [Fact]
    public void A_DREAMWELL_DREAM_that_points_nowhere_says_what_to_do()
    {
        var before = Environment.GetEnvironmentVariable(DreamLocator.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(DreamLocator.EnvironmentVariable, "/nonexistent/dream");
            var error = Assert.Throws<DreamException>(DreamLocator.Find);
            Assert.Equal(DreamLocator.NotFound, error.ErrorId);
            Assert.Contains("dotnet build src/Host", error.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(DreamLocator.EnvironmentVariable, before);
        }
    }

    private static long Beats(TesseractClient client, string label) =>
        client.PeersAsync().GetAwaiter().GetResult().FirstOrDefault(p => p.Label == label && p.State == PeerStates.Connected)?.Heartbeats ?? 0;

    private static bool IsRunning(int pid)
    {
        try { using var p = System.Diagnostics.Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
    }
}
