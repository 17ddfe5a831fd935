using System.Diagnostics;
using System.Text;
using Dreamwell.Formats;

namespace Dreamwell.Bench;

/// <summary>
/// qport pack/open against `zstd -3 -T0` / `zstd -d`, and BLAKE3 file hashing against `b3sum`, on the same input in
/// one run. Each pair is repeated, alternating ours and theirs, and compared by median throughput.
/// Usage: qport-vs-zstd [input-file] [--repeat N]
/// </summary>
public sealed class QPortVsZstd : ISideBySide
{
    public string Name => "qport-vs-zstd";

    public int Run(string[] args)
    {
        var repeat = 5;
        string? input = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--repeat" && i + 1 < args.Length) repeat = int.Parse(args[++i]);
            else input = args[i];
        }
        if (Which("zstd") is null)
        {
            Console.Error.WriteLine("zstd is not on PATH: apt-get install -y zstd (bench/qport-vs-zstd.sh does it).");
            return 2;
        }
        var work = Path.Combine(Path.GetTempPath(), "dreamwell-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            if (input is null)
            {
                input = Path.Combine(work, "mixed-256MiB.bin");
                GenerateMixed(input, 256 << 20);
            }
            var size = new FileInfo(input).Length;
            var qport = Path.Combine(work, "out.qport");
            var zst = Path.Combine(work, "out.zst");
            var oursRestored = Path.Combine(work, "restored-ours.bin");
            var theirsRestored = Path.Combine(work, "restored-zstd.bin");

            Console.WriteLine($"input: {input} ({size:N0} bytes), {Environment.ProcessorCount} cores, {repeat} runs each, alternating");
            Console.WriteLine($"zstd: {Capture("zstd", "--version")}");
            var b3sum = Which("b3sum");
            Console.WriteLine($"b3sum: {(b3sum is null ? "absent (row skipped)" : Capture("b3sum", "--version"))}");

            var rows = new List<Row>
            {
                Measure("pack: qport (level 3, all cores) vs zstd -3 -T0", repeat, size,
                    () => DreamCodec.Pack(input, qport, DreamFormat.QPort, new PackOptions { Level = 3 }, overwrite: true, null, CancellationToken.None),
                    () => Exec("zstd", "-3", "-T0", "-q", "-f", input, "-o", zst)),
                Measure("open: qport (verify + write) vs zstd -d", repeat, size,
                    () => DreamCodec.Open(qport, oursRestored, null, overwrite: true, null, CancellationToken.None),
                    () => Exec("zstd", "-d", "-q", "-f", zst, "-o", theirsRestored)),
                Measure("verify only: qport Verify vs zstd -t", repeat, size,
                    () => { if (!DreamCodec.Verify(qport, null, CancellationToken.None).IsValid) throw new InvalidOperationException("qport did not verify"); },
                    () => Exec("zstd", "-t", "-q", zst)),
            };
            if (b3sum is not null)
                rows.Add(Measure("hash: Blake3Hash.ComputeFile vs b3sum", repeat, size,
                    () => Blake3Hash.ComputeFile(input),
                    () => Exec("b3sum", "--no-names", input)));

            var same = File.ReadAllBytes(oursRestored).AsSpan().SequenceEqual(File.ReadAllBytes(theirsRestored));
            Console.WriteLine();
            Console.WriteLine($"compressed: qport {new FileInfo(qport).Length:N0} bytes ({100.0 * new FileInfo(qport).Length / size:F2}%), zstd -3 {new FileInfo(zst).Length:N0} bytes ({100.0 * new FileInfo(zst).Length / size:F2}%); restored outputs identical: {same}");
            Console.WriteLine();
            Console.WriteLine("| operation | ours median | theirs median | ours MB/s | theirs MB/s | ours/theirs throughput |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            foreach (var r in rows)
                Console.WriteLine($"| {r.Name} | {r.Ours.TotalMilliseconds:F0} ms | {r.Theirs.TotalMilliseconds:F0} ms | {size / 1e6 / r.Ours.TotalSeconds:F0} | {size / 1e6 / r.Theirs.TotalSeconds:F0} | {r.Theirs / r.Ours:F2}× |");
            return same ? 0 : 1;
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    private sealed record Row(string Name, TimeSpan Ours, TimeSpan Theirs);

    private static Row Measure(string name, int repeat, long size, Action ours, Action theirs)
    {
        ours();
        theirs(); // warm-up: JIT, page cache, output files exist for both sides
        var oursTimes = new List<TimeSpan>();
        var theirTimes = new List<TimeSpan>();
        for (var i = 0; i < repeat; i++)
        {
            oursTimes.Add(Time(ours));
            theirTimes.Add(Time(theirs));
        }
        Console.WriteLine($"{name}: ours [{string.Join(", ", oursTimes.Select(t => $"{t.TotalMilliseconds:F0}"))}] ms, theirs [{string.Join(", ", theirTimes.Select(t => $"{t.TotalMilliseconds:F0}"))}] ms");
        return new Row(name, Median(oursTimes), Median(theirTimes));
    }

    private static TimeSpan Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed;
    }

    private static TimeSpan Median(List<TimeSpan> times)
    {
        var sorted = times.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static void Exec(string tool, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, args) { RedirectStandardOutput = true })!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{tool} exited with {process.ExitCode}");
    }

    private static string Capture(string tool, string arg)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, [arg]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var text = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return text.Trim().Split('\n')[0];
    }

    private static string? Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

    /// <summary>
    /// Half English-like text, a quarter random bytes, a quarter low-entropy bytes (16 symbols), in 1 MiB blocks
    /// from a fixed seed: roughly what a transfer of logs, source and binaries looks like.
    /// </summary>
    private static void GenerateMixed(string path, long size)
    {
        string[] words = ["the", "dream", "well", "of", "and", "shall", "thou", "king", "night", "river", "stone", "light", "to", "a", "in",
            "error", "warning", "request", "id=", "status", "200", "404", "time", "ms", "user", "session", "GET", "/api/v1/items"];
        var random = new Random(42);
        var block = new byte[1 << 20];
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        for (long done = 0, n = 0; done < size; done += block.Length, n++)
        {
            switch (n % 4)
            {
                case 0 or 1:
                    var text = new StringBuilder(block.Length + 32);
                    while (text.Length < block.Length) text.Append(words[random.Next(words.Length)]).Append(random.Next(10) == 0 ? '\n' : ' ');
                    Encoding.ASCII.GetBytes(text.ToString(0, block.Length), block);
                    break;
                case 2:
                    random.NextBytes(block);
                    break;
                default:
                    random.NextBytes(block);
                    for (var i = 0; i < block.Length; i++) block[i] &= 0x0F;
                    break;
            }
            stream.Write(block, 0, (int)Math.Min(block.Length, size - done));
        }
    }
}
