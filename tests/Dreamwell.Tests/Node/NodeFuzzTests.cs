using System.Diagnostics;
using Dreamwell.Node;
using Dreamwell.Node.Admission;
using Xunit.Abstractions;

namespace Dreamwell.Tests.Node;

/// <summary>
/// Frame-level fuzzing of a running node while a legitimate peer stays linked: ≥ 10,000 frames in CI, ≥ 100,000 in
/// the soak (DREAMWELL_SOAK=1). The node must stay up and keep receiving the peer's heartbeats throughout.
/// </summary>
public sealed class NodeFuzzTests(ITestOutputHelper output)
{
    private const int Workers = 8;

    [Fact]
    public Task TenThousandRandomAndMutatedFramesLeaveTheNodeUpAndALegitimatePeerKeepsItsHeartbeats() => FuzzAsync(10_000, TimeSpan.FromMinutes(4));

    [Fact]
    public async Task SoakOfAHundredThousandFramesWhenDreamwellSoakIsSet()
    {
        if (Environment.GetEnvironmentVariable("DREAMWELL_SOAK") != "1")
        {
            output.WriteLine("Skipped: set DREAMWELL_SOAK=1 to run the 100,000-frame soak.");
            return;
        }
        await FuzzAsync(100_000, TimeSpan.FromMinutes(30));
    }

    private async Task FuzzAsync(long frames, TimeSpan bound)
    {
        // The puzzle stays off here so every frame reaches the parsers behind admission; admission answers are fuzzed in AdmissionTests.
        await using var bob = TestNode.Start("bob", configure: o => o with { Load = new LoadOptions { PuzzleThreshold = int.MaxValue } });
        await using var alice = TestNode.Start("alice");
        await alice.Node.ConnectAsync(bob.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound);
        await Poll.UntilAsync(() => bob.PeerNamed("alice")?.Heartbeats > 0, "alice's first heartbeat");

        var fuzzer = new NodeFuzzer(bob.Node.PeerPort);
        var heartbeatsBefore = bob.PeerNamed("alice")!.Heartbeats;
        var clock = Stopwatch.StartNew();
        using var deadline = new CancellationTokenSource(bound);
        await fuzzer.RunAsync(frames, Workers, seed: 1618, deadline.Token);
        clock.Stop();
        var heartbeatsDuring = bob.PeerNamed("alice")!.Heartbeats - heartbeatsBefore;

        output.WriteLine($"{fuzzer.Frames} frames on {fuzzer.Connections} connections in {clock.Elapsed.TotalSeconds:0.0} s ({fuzzer.Frames / clock.Elapsed.TotalSeconds:0} frames/s, {Workers} workers); alice's heartbeats meanwhile: {heartbeatsDuring}");
        foreach (var (category, count) in fuzzer.ByCategory.OrderBy(c => c.Key)) output.WriteLine($"  {category,-30} {count,8}");
        foreach (var (why, count) in fuzzer.EndedEarly.OrderByDescending(c => c.Value).Take(8)) output.WriteLine($"  ended early: {count,6} × {why}");
        output.WriteLine($"load: {bob.Node.LoadStatus()}");

        Assert.True(fuzzer.Frames >= frames, $"only {fuzzer.Frames} of {frames} frames were delivered within {bound}");
        Assert.True(heartbeatsDuring > 0, "alice's heartbeats stopped during the fuzz");
        Assert.Equal(PeerStates.Connected, bob.PeerNamed("alice")!.State);
        var after = bob.PeerNamed("alice")!.Heartbeats;
        await Poll.UntilAsync(() => bob.PeerNamed("alice")?.Heartbeats > after + 3, "alice's heartbeats to go on after the fuzz");
        Assert.Equal("bob", (await TesseractClient.ForHome(bob.Home).StatusAsync().WaitAsync(TestNode.Bound)).Name);
    }
}
