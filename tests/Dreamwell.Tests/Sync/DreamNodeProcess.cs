using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Dreamwell.Node;
using Dreamwell.Sync;
using Dreamwell.Tests.Support;

namespace Dreamwell.Tests.Sync;

/// <summary>
/// A real `dream tesseract start` process in its own temp home on fixed free loopback ports, so it can be SIGKILLed and
/// started again exactly as it was (same home, same ports: the portal key names the owner's address).
/// </summary>
public sealed class DreamNodeProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);
    private readonly StringBuilder _log = new();
    private Process? _process;

    private DreamNodeProcess(string name, string dream)
    {
        Name = name;
        Dream = dream;
        Temp = new TempHome();
        ControlPort = FreePort();
        PeerPort = FreePort();
        Folder = Path.Combine(Temp.Scratch, name + "-folder");
    }

    public string Name { get; }
    public string Dream { get; }
    public TempHome Temp { get; }
    public DreamHome Home => Temp.Home;
    public int ControlPort { get; }
    public int PeerPort { get; }
    public string PeerAddress => $"127.0.0.1:{PeerPort}";
    public string Folder { get; }
    public int Starts { get; private set; }
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The host binary: DREAM_EXE (build/test.sh sets it), else the build output beside this test build; null when not built.</summary>
    public static string? FindHost()
    {
        var fromEnv = Environment.GetEnvironmentVariable("DREAM_EXE");
        if (!string.IsNullOrEmpty(fromEnv) && File.Exists(fromEnv)) return fromEnv;
        var exe = OperatingSystem.IsWindows() ? "dream.exe" : "dream";
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "src", "Host", "bin", configuration, "net10.0", exe);
            if (File.Exists(candidate)) return candidate;
            if (File.Exists(Path.Combine(folder.FullName, "Dreamwell.PowerShell.sln"))) return null;
        }
        return null;
    }

    public const string HostMissing = "SKIPPED: the dream host is not built (dotnet build src/Host -c Release, or set DREAM_EXE); process-level portal tests did not run.";

    public static DreamNodeProcess Create(string name, string dream) => new(name, dream);

    /// <summary>Shares this node's folder as a portal (before the node starts: it reads portals.json when it starts).</summary>
    public PortalRecord OpenPortal(string portalName = "crash")
    {
        Directory.CreateDirectory(Folder);
        return Portals.Open(Home, Folder, portalName, [PeerAddress]);
    }

    public PortalRecord JoinPortal(string key) => Portals.Join(Home, key, Folder, null);

    /// <summary>Starts the process and waits until its control port answers (it has read its portals by then).</summary>
    public async Task StartAsync()
    {
        if (IsRunning) throw new InvalidOperationException($"{Name} already runs.");
        var info = new ProcessStartInfo(Dream)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { "tesseract", "start", "--name", Name, "--control-port", ControlPort.ToString(), "--peer-port", PeerPort.ToString(), "--heartbeat-ms", "200", "--no-discovery" })
            info.ArgumentList.Add(arg);
        info.Environment["DREAMWELL_HOME"] = Home.Path;
        info.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        info.Environment["POWERSHELL_UPDATECHECK"] = "Off";
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine("err: " + e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Starts++;
        var end = DateTime.UtcNow + StartBound;
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"{Name} exited with {process.ExitCode} while starting:\n{Log}");
            if (TesseractNode.ReadInfo(Home) is { } running && running.Pid == process.Id)
            {
                try
                {
                    await TesseractClient.ForHome(Home).InvokeAsync<List<PortalSyncReport>>("portal-status", null, TimeSpan.FromSeconds(10));
                    return;
                }
                catch (DreamException) { }
            }
            if (DateTime.UtcNow > end) throw new TimeoutException($"{Name} did not start within {StartBound.TotalSeconds} s:\n{Log}");
            await Task.Delay(50);
        }
    }

    /// <summary>SIGKILL: no cleanup, no flush, no goodbye.</summary>
    public void Kill()
    {
        if (_process is null) return;
        try { _process.Kill(entireProcessTree: false); } catch (InvalidOperationException) { }
        _process.WaitForExit(10_000);
        _process.Dispose();
        _process = null;
    }

    public string Log { get { lock (_log) return _log.ToString(); } }

    public Task<List<PortalSyncReport>> SyncAsync() =>
        TesseractClient.ForHome(Home).InvokeAsync<List<PortalSyncReport>>("portal-sync", null, TimeSpan.FromSeconds(150));

    public Task<List<PortalSyncReport>> StatusAsync() =>
        TesseractClient.ForHome(Home).InvokeAsync<List<PortalSyncReport>>("portal-status", null, TimeSpan.FromSeconds(10));

    /// <summary>
    /// For a failure message: the node's "applied from" marks, its highest sequence and its index entries for some paths,
    /// read from its portal index (read-only: the node may still run).
    /// </summary>
    public string DescribeIndex(IEnumerable<string> paths)
    {
        var text = new StringBuilder($"{Name} index:");
        try
        {
            foreach (var index in Directory.EnumerateFiles(Path.Combine(Home.Path, "portals"), "index.db", SearchOption.AllDirectories))
            {
                using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={index};Mode=ReadOnly;Pooling=False");
                connection.Open();
                using (var meta = connection.CreateCommand())
                {
                    meta.CommandText = "SELECT key, value FROM meta WHERE key LIKE 'peer:%' UNION ALL SELECT 'max sequence', MAX(sequence) FROM files";
                    using var reader = meta.ExecuteReader();
                    while (reader.Read()) text.Append($" {reader.GetString(0)}={reader.GetValue(1)}");
                }
                foreach (var path in paths)
                {
                    using var entry = connection.CreateCommand();
                    entry.CommandText = "SELECT size, deleted, version, sequence, mtime_ns FROM files WHERE path = $p";
                    entry.Parameters.AddWithValue("$p", path);
                    using var reader = entry.ExecuteReader();
                    text.Append($"\n  {path}: ").Append(reader.Read()
                        ? $"size {reader.GetInt64(0)}{(reader.GetInt64(1) != 0 ? " DELETED" : "")} version {reader.GetString(2)} sequence {reader.GetInt64(3)} mtime {reader.GetInt64(4)}"
                        : "no entry");
                }
            }
        }
        catch (Exception e) when (e is IOException or Microsoft.Data.Sqlite.SqliteException) { text.Append(" unreadable: ").Append(e.Message); }
        return text.ToString();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        Temp.Dispose();
        return default;
    }
}

/// <summary>What a synced folder holds: relative path → BLAKE3 of the bytes, leaving out sync temp files.</summary>
internal static class FolderTree
{
    public static SortedDictionary<string, string> Hashes(string root)
    {
        var tree = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(root)) return tree;
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (relative.Split('/').Any(s => s.StartsWith(SyncPath.TempPrefix, StringComparison.Ordinal))) continue;
            try { tree[relative] = Blake3Hash.Hex(File.ReadAllBytes(file)); }
            catch (FileNotFoundException) { }
            catch (DirectoryNotFoundException) { }
        }
        return tree;
    }

    public static List<string> TempFiles(string root) =>
        Directory.Exists(root)
            ? Directory.EnumerateFiles(root, SyncPath.TempPrefix + "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).ToList()
            : [];

    public static IEnumerable<string> Differing(IDictionary<string, string> a, IDictionary<string, string> b) =>
        a.Keys.Union(b.Keys).Where(p => a.TryGetValue(p, out var x) != b.TryGetValue(p, out var y) || x != y).OrderBy(p => p, StringComparer.Ordinal);

    public static string Describe(IDictionary<string, string> a, IDictionary<string, string> b)
    {
        var lines = new List<string>();
        foreach (var path in a.Keys.Union(b.Keys).OrderBy(p => p, StringComparer.Ordinal))
        {
            a.TryGetValue(path, out var x);
            b.TryGetValue(path, out var y);
            if (x != y) lines.Add($"  {path}: {(x is null ? "missing" : x[..12])} vs {(y is null ? "missing" : y[..12])}");
        }
        return string.Join('\n', lines.Take(40)) + (lines.Count > 40 ? $"\n  … {lines.Count - 40} more" : "");
    }
}
