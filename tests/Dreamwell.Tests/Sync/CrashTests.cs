using System.Collections.Concurrent;
using System.Diagnostics;
using Dreamwell.Sync;
using Xunit.Abstractions;

namespace Dreamwell.Tests.Sync;

/// <summary>Process-level tests run one at a time: each starts real `dream` nodes, and two cores are shared.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DreamProcessCollection
{
    public const string Name = "Dream processes";
}

/// <summary>
/// The crash test of issue 6: two real `dream tesseract start` processes share a portal while both folders take a
/// workload of creates, edits, renames, deletes and large files; at random moments one node is SIGKILLed and started
/// again with the same home and ports. A watcher reads every visible file on both sides the whole time: each must hash
/// to a version the workload actually wrote (so a torn or half-built file is caught). Afterwards both folders must
/// converge to the same tree, every file a side wrote last and did not delete must be there with its last bytes, and
/// anything else must be an accounted-for conflict copy.
/// CI: 20 kills. Soak: DREAMWELL_SOAK=1 (100 kills), or DREAMWELL_CRASH_KILLS=N; DREAMWELL_CRASH_SEED=S replays a run.
/// </summary>
[Collection(DreamProcessCollection.Name)]
public sealed class CrashTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ConvergenceBound = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task Killing_nodes_at_random_moments_never_shows_a_torn_file_and_loses_nothing()
    {
        var dream = DreamNodeProcess.FindHost();
        if (dream is null) { output.WriteLine(DreamNodeProcess.HostMissing); return; }
        var soak = Environment.GetEnvironmentVariable("DREAMWELL_SOAK") == "1";
        var kills = int.TryParse(Environment.GetEnvironmentVariable("DREAMWELL_CRASH_KILLS"), out var k) && k > 0 ? k : soak ? 100 : 20;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("DREAMWELL_CRASH_SEED"), out var s) ? s : Random.Shared.Next();
        output.WriteLine($"seed={seed} kills={kills} (replay: DREAMWELL_CRASH_SEED={seed} DREAMWELL_CRASH_KILLS={kills})");

        await using var owner = DreamNodeProcess.Create("owner", dream);
        await using var member = DreamNodeProcess.Create("member", dream);
        member.JoinPortal(owner.OpenPortal().Key);
        var written = new ConcurrentDictionary<string, string>();
        var sides = new[]
        {
            new Workload("owner", owner.Folder, Path.Combine(owner.Temp.Scratch, "stage"), written, seed * 2 + 1),
            new Workload("member", member.Folder, Path.Combine(member.Temp.Scratch, "stage"), written, seed * 2 + 2),
        };
        foreach (var side in sides) side.Seed(files: 20);
        await Task.WhenAll(owner.StartAsync(), member.StartAsync());

        using var stopWatching = new CancellationTokenSource();
        var watcher = new TornFileWatcher([owner.Folder, member.Folder], written);
        var watching = Task.Run(() => watcher.Run(stopWatching.Token));
        using var stopWork = new CancellationTokenSource();
        var working = sides.Select(side => Task.Run(() => side.Run(stopWork.Token))).ToArray();

        var nodes = new[] { owner, member };
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        var restartTimes = new List<double>();
        try
        {
            for (var i = 0; i < kills; i++)
            {
                await Task.Delay(random.Next(100, 1500));
                var victim = nodes[random.Next(nodes.Length)];
                victim.Kill();
                await Task.Delay(random.Next(0, 400));
                var restart = Stopwatch.StartNew();
                await victim.StartAsync();
                restartTimes.Add(restart.Elapsed.TotalSeconds);
            }
        }
        finally
        {
            stopWork.Cancel();
            await Task.WhenAll(working);
        }
        var killPhase = clock.Elapsed;

        var converging = Stopwatch.StartNew();
        SortedDictionary<string, string> ownerTree = [], memberTree = [];
        List<string> missing = [];
        while (true)
        {
            ownerTree = FolderTree.Hashes(owner.Folder);
            memberTree = FolderTree.Hashes(member.Folder);
            missing = sides.SelectMany(side => side.Missing(ownerTree).Concat(side.Missing(memberTree))).ToList();
            if (missing.Count == 0 && ownerTree.Count == memberTree.Count && ownerTree.SequenceEqual(memberTree)) break;
            if (converging.Elapsed > ConvergenceBound)
            {
                output.WriteLine("owner log:\n" + Tail(owner.Log) + "\nmember log:\n" + Tail(member.Log));
                foreach (var node in nodes)
                {
                    try { output.WriteLine($"{node.Name} status: {System.Text.Json.JsonSerializer.Serialize(await node.StatusAsync())}"); }
                    catch (Exception e) { output.WriteLine($"{node.Name} status: {e.Message}"); }
                }
                foreach (var node in nodes) output.WriteLine(node.DescribeIndex(FolderTree.Differing(ownerTree, memberTree).Take(12)));
                Assert.Fail($"No convergence within {ConvergenceBound.TotalSeconds} s after {kills} kills (seed {seed}).\n"
                    + $"Differences:\n{FolderTree.Describe(ownerTree, memberTree)}\nMissing or stale:\n  {string.Join("\n  ", missing.Take(40))}");
            }
            await Task.Delay(250);
        }
        var convergence = converging.Elapsed;
        stopWatching.Cancel();
        await watching;

        var conflictCopies = ownerTree.Keys.Where(ConflictRule.IsConflictCopy).ToList();
        var unexpected = sides.SelectMany(side => side.Unexpected(ownerTree)).ToList();
        var leftoverTemps = FolderTree.TempFiles(owner.Folder).Concat(FolderTree.TempFiles(member.Folder)).ToList();
        output.WriteLine($"kills={kills} starts: owner {owner.Starts}, member {member.Starts}; kill phase {killPhase.TotalSeconds:0.0} s; "
            + $"restart median {Median(restartTimes):0.00} s; convergence after the last restart {convergence.TotalSeconds:0.00} s");
        output.WriteLine($"workload: {string.Join(", ", sides.Select(x => x.Summary))}; versions written {written.Count}; "
            + $"final files {ownerTree.Count}; conflict copies {conflictCopies.Count} ({conflictCopies.Count(c => c.StartsWith("both/", StringComparison.Ordinal))} of them in the shared folder); "
            + $"watcher checked {watcher.Reads} reads");

        foreach (var node in nodes) // since the node's last start: how much re-announcing the convergence took
        {
            try
            {
                foreach (var r in await node.StatusAsync())
                    output.WriteLine($"{node.Name} since its last start: announced {r.FilesAnnounced}, received {r.FilesReceived} files, deleted {r.FilesDeleted}, conflicts {r.Conflicts}, deferred {r.Deferred.Count}");
            }
            catch (Exception e) when (e is DreamException or IOException) { output.WriteLine($"{node.Name} status: {e.Message}"); }
        }
        foreach (var surprise in sides.SelectMany(x => x.Surprises).Take(10)) output.WriteLine("writer surprise: " + surprise);
        Assert.True(watcher.Violations.IsEmpty, "Torn or unknown file contents were visible:\n" + string.Join("\n", watcher.Violations.Take(20)));
        Assert.All(ownerTree, entry => Assert.True(written.ContainsKey(entry.Value), $"{entry.Key} holds bytes nobody wrote"));
        Assert.True(unexpected.Count == 0, "Files that should not exist (deleted or renamed away, and not conflict copies):\n" + string.Join("\n", unexpected.Take(20)));
        Assert.True(leftoverTemps.Count == 0, "Sync temp files left behind after convergence: " + string.Join(", ", leftoverTemps.Take(20)));
    }

    private static double Median(List<double> values) => values.Count == 0 ? 0 : values.Order().ElementAt(values.Count / 2);

    private static string Tail(string log) => log.Length > 4000 ? log[^4000..] : log;

    /// <summary>
    /// One side's writer. It owns the folder "own-&lt;side&gt;/" (the other side only receives it, so what must end up there
    /// is known exactly) and shares "both/" with the other side (concurrent edits: conflicts). Every version is written
    /// outside the folder and renamed in, and its hash recorded before it becomes visible.
    /// </summary>
    private sealed class Workload(string side, string folder, string stage, ConcurrentDictionary<string, string> written, int seed)
    {
        private const int LargeMax = 3;
        private readonly Random _random = new(seed);
        private readonly Dictionary<string, string> _live = new(StringComparer.Ordinal);
        private readonly Dictionary<string, byte[]> _large = new(StringComparer.Ordinal);
        private readonly HashSet<string> _everUsed = new(StringComparer.Ordinal);
        private int _next, _creates, _edits, _renames, _deletes, _shared, _largeWrites;
        private readonly string _area = "own-" + side;

        public ConcurrentQueue<string> Surprises { get; } = new();

        public string Summary => $"{side}: {_creates} creates, {_edits} edits, {_renames} renames, {_deletes} deletes, {_largeWrites} large writes, {_shared} shared writes, {_live.Count} live";

        public void Seed(int files)
        {
            Directory.CreateDirectory(folder);
            Directory.CreateDirectory(stage);
            for (var i = 0; i < files; i++) Create(large: i == 0);
        }

        public async Task Run(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                try { Step(); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Surprises.Enqueue(e.Message); // the folder changed under the writer: the final checks say whether it mattered
                }
                try { await Task.Delay(_random.Next(20, 150), stop); } catch (OperationCanceledException) { }
            }
        }

        private void Step()
        {
            var roll = _random.Next(100);
            if (roll < 25 || _live.Count < 5) Create(large: _random.Next(100) < 6 && _large.Count < LargeMax);
            else if (roll < 55) Edit(Pick());
            else if (roll < 70) Rename(Pick());
            else if (roll < 85 && _live.Count > 10) Delete(Pick());
            else Shared();
        }

        private string Pick() => _live.Keys.ElementAt(_random.Next(_live.Count));

        private string NewPath() => $"{_area}/d{_random.Next(4)}/f{_next++:0000}-{side}.bin";

        private void Create(bool large)
        {
            var path = NewPath();
            if (large)
            {
                var bytes = Bytes(_random.Next(1 << 20, 4 << 20));
                _large[path] = bytes;
                _largeWrites++;
                Write(path, bytes);
            }
            else Write(path, Bytes(_random.Next(1, 48 * 1024)));
            _creates++;
        }

        private void Edit(string path)
        {
            if (_large.TryGetValue(path, out var bytes))
            {
                var edited = (byte[])bytes.Clone();
                _random.NextBytes(edited.AsSpan(_random.Next(edited.Length - 4096), 4096)); // a small edit: only a chunk or two change
                _large[path] = edited;
                _largeWrites++;
                Write(path, edited);
            }
            else Write(path, Bytes(_random.Next(1, 48 * 1024)));
            _edits++;
        }

        private void Rename(string path)
        {
            var to = NewPath();
            Directory.CreateDirectory(Path.GetDirectoryName(Full(to))!);
            File.Move(Full(path), Full(to));
            _live[to] = _live[path];
            _live.Remove(path);
            _everUsed.Add(to);
            if (_large.Remove(path, out var bytes)) _large[to] = bytes;
            _renames++;
        }

        private void Delete(string path)
        {
            File.Delete(Full(path));
            _live.Remove(path);
            _large.Remove(path);
            _deletes++;
        }

        private void Shared()
        {
            var path = $"both/s{_random.Next(6)}.txt";
            var bytes = Bytes(_random.Next(1, 8 * 1024));
            Directory.CreateDirectory(Path.Combine(folder, "both"));
            var temp = Path.Combine(stage, Guid.NewGuid().ToString("N"));
            File.WriteAllBytes(temp, bytes);
            written[Blake3Hash.Hex(bytes)] = $"{side} {path}";
            File.Move(temp, Full(path), overwrite: true);
            _shared++;
        }

        private byte[] Bytes(int length)
        {
            var bytes = new byte[length];
            _random.NextBytes(bytes);
            return bytes;
        }

        private void Write(string path, byte[] bytes)
        {
            var temp = Path.Combine(stage, Guid.NewGuid().ToString("N"));
            File.WriteAllBytes(temp, bytes);
            var hash = Blake3Hash.Hex(bytes);
            written[hash] = $"{side} {path}";
            Directory.CreateDirectory(Path.GetDirectoryName(Full(path))!);
            File.Move(temp, Full(path), overwrite: true);
            _live[path] = hash;
            _everUsed.Add(path);
        }

        private string Full(string path) => Path.Combine(folder, path);

        /// <summary>Files this side wrote last and kept, that the tree does not have with those bytes.</summary>
        public IEnumerable<string> Missing(IReadOnlyDictionary<string, string> tree) =>
            _live.Where(l => !tree.TryGetValue(l.Key, out var hash) || hash != l.Value).Select(l => $"{l.Key} ({(tree.ContainsKey(l.Key) ? "other bytes" : "missing")})");

        /// <summary>Files in this side's own folder that it did not leave there and that are not conflict copies.</summary>
        public IEnumerable<string> Unexpected(IReadOnlyDictionary<string, string> tree) =>
            tree.Keys.Where(p => p.StartsWith(_area + "/", StringComparison.Ordinal) && !_live.ContainsKey(p) && !ConflictRule.IsConflictCopy(p))
                .Select(p => $"{p} ({(_everUsed.Contains(p) ? "deleted or renamed away, yet back" : "never written here")})");
    }

    /// <summary>Reads every visible file of the folders over and over; each read must hash to a written version.</summary>
    private sealed class TornFileWatcher(string[] roots, ConcurrentDictionary<string, string> written)
    {
        private readonly Dictionary<string, (long Length, DateTime Modified)> _seen = new(StringComparer.Ordinal);

        public ConcurrentQueue<string> Violations { get; } = new();
        public long Reads { get; private set; }

        public void Run(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var root in roots) Check(root);
                Thread.Sleep(30);
            }
        }

        private void Check(string root)
        {
            IEnumerable<string> files;
            try { files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).ToList(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
            foreach (var file in files)
            {
                if (Path.GetFileName(file).StartsWith(SyncPath.TempPrefix, StringComparison.Ordinal)) continue;
                try
                {
                    var info = new FileInfo(file);
                    var stamp = (info.Length, info.LastWriteTimeUtc);
                    if (_seen.TryGetValue(file, out var before) && before == stamp) continue;
                    var bytes = File.ReadAllBytes(file);
                    Reads++;
                    if (!written.ContainsKey(Blake3Hash.Hex(bytes)))
                        Violations.Enqueue($"{file}: {bytes.Length} bytes that no writer wrote (torn or corrupt)");
                    _seen[file] = stamp;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            }
        }
    }
}
