using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Dreamwell.Node;

namespace Dreamwell.Bench;

/// <summary>
/// Send-DreamFile's engine path (LQTP "send" to a running node, which streams to a second node over the encrypted
/// FQTP link, the receiver verifying and filing it) against `rsync file rsync://127.0.0.1:PORT/in/` to an rsync
/// daemon bound to 127.0.0.1 only, same file, same disk, one run each. Both start with the source in the page cache.
/// Usage: send-vs-rsync [--size-mib N] [--file PATH]
/// </summary>
public sealed class SendVsRsync : ISideBySide
{
    public string Name => "send-vs-rsync";

    public int Run(string[] args)
    {
        var sizeMib = 1024;
        string? input = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--size-mib" && i + 1 < args.Length) sizeMib = int.Parse(args[++i]);
            else if (args[i] == "--file" && i + 1 < args.Length) input = args[++i];
        }
        if (Which("rsync") is null)
        {
            Console.Error.WriteLine("rsync is not on PATH: apt-get install -y rsync (bench/send-vs-rsync.sh does it).");
            return 2;
        }
        var work = Path.Combine(Path.GetTempPath(), "dreamwell-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            if (input is null)
            {
                input = Path.Combine(work, $"random-{sizeMib}MiB.bin");
                Generate(input, (long)sizeMib << 20);
            }
            var size = new FileInfo(input).Length;
            var sourceHash = Blake3Hash.ToHex(Blake3Hash.ComputeFile(input));
            Console.WriteLine($"input: {input} ({size:N0} bytes, BLAKE3 {sourceHash[..16]}…), {Environment.ProcessorCount} cores");

            // On this VM the first write into never-touched memory costs several times a write into recycled page
            // cache; one throwaway write of the same size (deleted again) lets both runs write into recycled pages.
            Prefault(Path.Combine(work, "prefault.bin"), size);
            var theirs = RunRsync(work, input);
            var copied = Path.Combine(work, "rsync-dst", Path.GetFileName(input));
            if (Blake3Hash.ToHex(Blake3Hash.ComputeFile(copied)) != sourceHash) throw new InvalidOperationException("rsync copied different content.");
            File.Delete(copied);
            var (ours, result) = RunDreamwell(work, input).GetAwaiter().GetResult();
            if (result.ContentHash != sourceHash) throw new InvalidOperationException("Dreamwell filed different content.");
            var filed = Path.Combine(work, "bob", "inbox", result.StoredAs);
            if (Blake3Hash.ToHex(Blake3Hash.ComputeFile(filed)) != sourceHash) throw new InvalidOperationException("Dreamwell's inbox file differs.");
            File.Delete(filed);
            var (aead, blake3) = SendFloor.Measure(input);
            double Mb(TimeSpan t) => size / t.TotalSeconds / 1e6;
            Console.WriteLine();
            Console.WriteLine("| transfer (loopback, one run) | wall time | MB/s | CPU time (both ends) | ours/theirs (wall) | ours/theirs (CPU) |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            Console.WriteLine($"| Send-DreamFile engine (LQTP send → FQTP over Noise, BLAKE3 per 1 MiB chunk + whole, fsync at the end) | {ours.Wall.TotalMilliseconds:F0} ms | {Mb(ours.Wall):F0} | {ours.Cpu.TotalMilliseconds:F0} ms | {theirs.Wall / ours.Wall:F2}× | {theirs.Cpu / ours.Cpu:F2}× |");
            Console.WriteLine($"| rsync daemon (`rsync file rsync://127.0.0.1/in/`, no -z, no encryption, no fsync) | {theirs.Wall.TotalMilliseconds:F0} ms | {Mb(theirs.Wall):F0} | {theirs.Cpu.TotalMilliseconds:F0} ms | 1.00× | 1.00× |");
            Console.WriteLine();
            Console.WriteLine($"floor (the work no encrypted, verified send can skip, timed alone, single-threaded): ChaCha20-Poly1305 at both ends {aead.TotalMilliseconds:F0} ms, " +
                $"BLAKE3 four passes {blake3.TotalMilliseconds:F0} ms; spread over {Environment.ProcessorCount} cores at best {(aead + blake3).TotalMilliseconds / Environment.ProcessorCount:F0} ms, " +
                $"{theirs.Wall / ((aead + blake3) / Environment.ProcessorCount):F2}× rsync's wall time");
            Console.WriteLine();
            Console.WriteLine($"dreamwell_seconds={ours.Wall.TotalSeconds:F3} rsync_seconds={theirs.Wall.TotalSeconds:F3} ratio={theirs.Wall / ours.Wall:F2} " +
                $"dreamwell_cpu={ours.Cpu.TotalSeconds:F2} rsync_cpu={theirs.Cpu.TotalSeconds:F2} bytes_on_wire={result.BytesSent} chunks={result.ChunkCount} load={File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            return 0;
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<(Measured, FileTransferResult)> RunDreamwell(string work, string input)
    {
        var aliceHome = new DreamHome(Path.Combine(work, "alice"));
        var bobHome = new DreamHome(Path.Combine(work, "bob"));
        await using var alice = TesseractNode.Start(aliceHome, new TesseractOptions { Name = "alice", ControlPort = 0, PeerPort = 0 });
        await using var bob = TesseractNode.Start(bobHome, new TesseractOptions { Name = "bob", ControlPort = 0, PeerPort = 0 });
        bob.Friends.Add(alice.QuantumId, "alice", null);
        await alice.ConnectAsync($"127.0.0.1:{bob.PeerPort}", CancellationToken.None);
        var client = TesseractClient.ForHome(aliceHome);
        // Untimed sends first, then a pause for the runtime's background tier-1 compiles to land, so the timed send runs
        // the optimized code a long-running node runs (rsync is native code from the start).
        var warmup = Path.Combine(work, "warmup.bin");
        Generate(warmup, 64 << 20);
        for (var round = 0; round < 3; round++)
        {
            await client.InvokeAsync<FileTransferResult>("send", new { path = warmup, target = "bob", name = $"warmup-{round}.bin" }, TimeSpan.FromMinutes(5));
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = await client.InvokeAsync<FileTransferResult>("send", new { path = input, target = "bob" }, TimeSpan.FromMinutes(30));
        clock.Stop();
        // Both nodes run in this process, so its CPU time is sender + receiver (+ the idle heartbeats).
        return (new Measured(clock.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu), result);
    }

    private static Measured RunRsync(string work, string input)
    {
        var destination = Directory.CreateDirectory(Path.Combine(work, "rsync-dst")).FullName;
        var config = Path.Combine(work, "rsyncd.conf");
        // Run as us (a root daemon would switch to nobody, who cannot write our temp folder).
        File.WriteAllText(config, $"uid = {Id("-u")}\ngid = {Id("-g")}\nuse chroot = no\nmax connections = 1\n[in]\n    path = {destination}\n    read only = no\n    hosts allow = 127.0.0.1\n");
        var port = FreePort();
        using var daemon = Process.Start(new ProcessStartInfo("rsync", ["--daemon", "--no-detach", $"--config={config}", "--address=127.0.0.1", $"--port={port}"])
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        })!;
        try
        {
            WaitForPort(port);
            var children = ChildrenCpu(Environment.ProcessId);
            var daemonChildren = ChildrenCpu(daemon.Id);
            var clock = Stopwatch.StartNew();
            using var copy = Process.Start(new ProcessStartInfo("rsync", [input, $"rsync://127.0.0.1:{port}/in/"]) { UseShellExecute = false })!;
            copy.WaitForExit();
            clock.Stop();
            if (copy.ExitCode != 0) throw new InvalidOperationException($"rsync exited with {copy.ExitCode}.");
            // The client is our reaped child; the daemon forks one child per connection and reaps it when it ends.
            var end = DateTime.UtcNow.AddSeconds(5);
            while (ChildrenCpu(daemon.Id) == daemonChildren && DateTime.UtcNow < end) Thread.Sleep(20);
            return new Measured(clock.Elapsed, ChildrenCpu(Environment.ProcessId) - children + ChildrenCpu(daemon.Id) - daemonChildren);
        }
        finally
        {
            daemon.Kill();
            daemon.WaitForExit();
        }
    }

    private sealed record Measured(TimeSpan Wall, TimeSpan Cpu);

    /// <summary>cutime + cstime of a process from /proc: CPU used by its children that it has reaped.</summary>
    private static TimeSpan ChildrenCpu(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[13]) + long.Parse(fields[14]); // fields 16 and 17 of proc(5), counted after the name
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
    }

    private static string Id(string which)
    {
        using var id = Process.Start(new ProcessStartInfo("id", [which]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var text = id.StandardOutput.ReadToEnd().Trim();
        id.WaitForExit();
        return text;
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private static void WaitForPort(int port)
    {
        var end = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < end)
            {
                Thread.Sleep(50);
            }
        }
    }

    private static void Prefault(string path, long size)
    {
        Generate(path, size);
        File.Delete(path);
    }

    private static void Generate(string path, long size)
    {
        var random = new Random(1618);
        var block = new byte[1 << 20];
        using var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        for (long done = 0; done < size; done += block.Length)
        {
            random.NextBytes(block);
            output.Write(block, 0, (int)Math.Min(block.Length, size - done));
        }
    }

    private static string? Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);
}
