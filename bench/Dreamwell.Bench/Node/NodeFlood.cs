using System.Diagnostics;
using Dreamwell.Node;

namespace Dreamwell.Bench;

/// <summary>
/// How long a friend's reconnect (TCP connect + Noise handshake + hellos) takes on loopback while the node is
/// flooded with connection attempts, side by side with the same reconnect without a flood; likewise a stranger who
/// must solve the puzzle. Three nodes in temp homes: bob (flooded, default limits), alice (bob's friend, holding a
/// ticket from her previous session), carol (a stranger). Medians of all rounds; the flood comes from
/// 127.0.0.2 … 127.0.0.17 (tests/Dreamwell.Tests/Node/LoopbackFlood.cs), run in a separate process
/// (node-flood-source) for at least 10 s and 5,000 attempts.
/// Rerun: dotnet run -c Release --project bench/Dreamwell.Bench -- node-flood [rounds]
/// </summary>
public sealed class NodeFlood : ISideBySide
{
    public string Name => "node-flood";

    public int Run(string[] args) => RunAsync(args.Length > 0 ? int.Parse(args[0]) : 15).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(int rounds)
    {
        var root = Path.Combine(Path.GetTempPath(), "dreamwell-bench-flood-" + Guid.NewGuid().ToString("N"));
        Console.WriteLine($"cores: {Environment.ProcessorCount}  load average before: {LoadAverage()}");
        try
        {
            await using var bob = Start(root, "bob");
            await using var alice = Start(root, "alice");
            await using var carol = Start(root, "carol");
            var bobAddress = $"127.0.0.1:{bob.PeerPort}";
            bob.Friends.Add(alice.QuantumId, "alice", null);
            await alice.ConnectAsync(bobAddress, CancellationToken.None);
            await carol.ConnectAsync(bobAddress, CancellationToken.None);
            while (alice.Load.TicketFor(bobAddress) is null) await Task.Delay(10);

            var quiet = (Friend: new List<double>(), Stranger: new List<double>());
            var quietFirstReply = new List<double>();
            var floodedFirstReply = new List<double>();
            for (var i = 0; i < rounds; i++)
            {
                quietFirstReply.Add(await FirstReplyAsync(bob.PeerPort));
                quiet.Friend.Add(await ReconnectAsync(alice, bob, bobAddress));
                quiet.Stranger.Add(await ReconnectAsync(carol, bob, bobAddress));
            }

            var clock = Stopwatch.StartNew();
            using var source = StartFloodSource(bob.PeerPort);
            var flooding = source.WaitForExitAsync();
            while (bob.LoadStatus().PuzzleBits == 0) await Task.Delay(10);
            var underLoadAfter = clock.Elapsed;
            var flooded = (Friend: new List<double>(), Stranger: new List<double>());
            var bits = new List<int>();
            // The stranger's puzzle is solved in this process, on the cores bob needs, so it goes only every third round.
            for (var round = 0; !flooding.IsCompleted; round++)
            {
                bits.Add(bob.LoadStatus().PuzzleBits);
                floodedFirstReply.Add(await FirstReplyAsync(bob.PeerPort));
                flooded.Friend.Add(await ReconnectAsync(alice, bob, bobAddress));
                if (round % 3 == 2 && !flooding.IsCompleted) flooded.Stranger.Add(await ReconnectAsync(carol, bob, bobAddress));
            }
            await flooding;
            clock.Stop();
            var status = bob.LoadStatus();
            var counts = (await source.StandardOutput.ReadToEndAsync()).Trim().Split(' ').Select(long.Parse).ToArray();

            Console.WriteLine($"flood (separate process): {counts[0]} connection attempts in {clock.Elapsed.TotalSeconds:0.0} s ({counts[0] / clock.Elapsed.TotalSeconds:0}/s), {counts[1]} failed at connect/write; puzzle on after {underLoadAfter.TotalMilliseconds:0} ms, {bits.Min()}–{bits.Max()} bits while measuring");
            Console.WriteLine($"bob: {status}");
            Console.WriteLine();
            Console.WriteLine($"{"reconnect (connect+handshake+hello)",-40} {"quiet median ms",16} {"flooded median ms",18} {"flooded max ms",15} {"n quiet/flooded",16} {"ratio",7}");
            Row("friend (ticket under load)", quiet.Friend, flooded.Friend);
            Row("stranger (puzzle under load)", quiet.Stranger, flooded.Stranger);
            Row("TCP connect + message 1 → first reply", quietFirstReply, floodedFirstReply);
            Console.WriteLine($"puzzle cost on this machine: {PuzzleHashesPerSecond():0} BLAKE3 tries/s on one thread, so 12 bits ≈ {4096 / PuzzleHashesPerSecond() * 1000:0.0} ms and 20 bits ≈ {1048576 / PuzzleHashesPerSecond() * 1000:0} ms on average");
            foreach (var (failure, count) in Failures) Console.WriteLine($"failed {count}×: {failure}");
            Console.WriteLine($"load average after: {LoadAverage()}");
            return 0;
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    private static Process StartFloodSource(int port)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        // Under `dotnet Dreamwell.Bench.dll` the host is dotnet itself and the assembly comes first.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(NodeFlood).Assembly.Location);
        foreach (var arg in new[] { "node-flood-source", port.ToString(), "10", "5000" }) start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }

    private static double? _hashesPerSecond;

    /// <summary>Tries per second of the puzzle search: 16-bit puzzles on 8 random challenges, total tries over total time.</summary>
    private static double PuzzleHashesPerSecond()
    {
        if (_hashesPerSecond is { } known) return known;
        double tries = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 8; i++)
            tries += Dreamwell.Node.Admission.ClientPuzzle.Solve(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray(), new byte[32], 16, CancellationToken.None) + 1;
        return (_hashesPerSecond = tries / clock.Elapsed.TotalSeconds).Value;
    }

    /// <summary>How long bob takes to accept a connection and answer message 1 (with message 2 or a challenge).</summary>
    private static async Task<double> FirstReplyAsync(int port)
    {
        var clock = Stopwatch.StartNew();
        using var tcp = new System.Net.Sockets.TcpClient { NoDelay = true };
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, port);
        var message1 = new byte[34];
        message1[1] = 32;
        Random.Shared.NextBytes(message1.AsSpan(2));
        await tcp.GetStream().WriteAsync(message1);
        var header = new byte[2];
        await tcp.GetStream().ReadExactlyAsync(header);
        return clock.Elapsed.TotalMilliseconds;
    }

    private static TesseractNode Start(string root, string name) =>
        TesseractNode.Start(new DreamHome(Path.Combine(root, name)), new TesseractOptions { Name = name, ControlPort = 0, PeerPort = 0 });

    private static readonly Dictionary<string, int> Failures = new();

    /// <summary>Drops the dialer's link to bob, waits until bob has seen it go, and times a fresh connect (NaN when it fails).</summary>
    private static async Task<double> ReconnectAsync(TesseractNode dialer, TesseractNode bob, string bobAddress)
    {
        if (dialer.FindLink(bob.QuantumId) is { } link) await link.DisconnectAsync("bench: reconnect");
        while (bob.Peers().Any(p => p.QuantumId == dialer.QuantumId && p.State == PeerStates.Connected)) await Task.Delay(5);
        var clock = Stopwatch.StartNew();
        try
        {
            await dialer.ConnectAsync(bobAddress, CancellationToken.None);
            return clock.Elapsed.TotalMilliseconds;
        }
        catch (DreamException e)
        {
            var key = $"{dialer.Name}: {e.ErrorId}: {e.Message}";
            Failures[key] = Failures.GetValueOrDefault(key) + 1;
            return double.NaN;
        }
    }

    private static void Row(string name, List<double> quiet, List<double> flooded)
    {
        quiet = quiet.Where(double.IsFinite).ToList();
        flooded = flooded.Where(double.IsFinite).ToList();
        var q = Median(quiet);
        var f = Median(flooded);
        Console.WriteLine($"{name,-40} {q,16:0.0} {f,18:0.0} {flooded.DefaultIfEmpty(double.NaN).Max(),15:0.0} {$"{quiet.Count}/{flooded.Count}",16} {f / q,7:0.0}×");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
}
