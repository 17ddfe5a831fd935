using Dreamwell.Tests.Support;
using System.Diagnostics;
using System.Security.Cryptography;
using Dreamwell.Tests.Formats;

namespace Dreamwell.Tests.Noise;

/// <summary>
/// The independent js-libp2p-noise peer in shared/anchors/libp2p-noise-peer, installed once per
/// package.json + peer.mjs into a temp folder (npm install) and run as a child process.
/// </summary>
internal static class Libp2pNoisePeer
{
    public static string? AnchorFolder { get; } = LocateAnchor();

    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    private static string? LocateAnchor()
    {
        if (SharedData.Folder is not { } data) return null;
        var folder = Path.GetFullPath(Path.Combine(data, "..", "anchors", "libp2p-noise-peer"));
        return File.Exists(Path.Combine(folder, "peer.mjs")) && File.Exists(Path.Combine(folder, "package.json")) ? folder : null;
    }

    /// <summary>The folder holding peer.mjs and its node_modules, or an explanation of why there is none.</summary>
    public static async Task<(string? Folder, string Problem)> InstallAsync()
    {
        var anchor = AnchorFolder!;
        var key = Convert.ToHexStringLower(SHA256.HashData([
            .. File.ReadAllBytes(Path.Combine(anchor, "package.json")), .. File.ReadAllBytes(Path.Combine(anchor, "peer.mjs"))]))[..16];
        var target = Path.Combine(Path.GetTempPath(), $"dreamwell-libp2p-noise-peer-{key}");
        var marker = Path.Combine(target, ".installed");
        await InstallLock.WaitAsync();
        try
        {
            if (File.Exists(marker)) return (target, "");
            var staging = target + "-" + Guid.NewGuid().ToString("N");
            Directory.CreateDirectory(staging);
            foreach (var name in new[] { "package.json", "peer.mjs" })
            {
                File.Copy(Path.Combine(anchor, name), Path.Combine(staging, name));
                File.SetAttributes(Path.Combine(staging, name), FileAttributes.Normal);
            }
            var (exit, output) = await RunAsync("npm", "install --no-audit --no-fund --loglevel=error", staging, TimeSpan.FromMinutes(5));
            if (exit != 0)
            {
                TryDelete(staging);
                return (null, $"npm install failed (exit {exit}): {output}");
            }
            File.WriteAllText(Path.Combine(staging, ".installed"), DateTimeOffset.UtcNow.ToString("O"));
            try
            {
                Directory.Move(staging, target);
            }
            catch (IOException) when (File.Exists(marker))
            {
                TryDelete(staging); // another test process won the race; its copy is as good as ours
            }
            return (target, "");
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static async Task<(int Exit, string Output)> RunAsync(string file, string arguments, string folder, TimeSpan limit)
    {
        var start = new ProcessStartInfo(file, arguments) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"timed out after {limit.TotalSeconds} s");
        }
        var text = (await stdout) + (await stderr);
        return (process.ExitCode, text.Length > 2000 ? text[^2000..] : text);
    }

    private static void TryDelete(string folder)
    {
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public static PeerProcess Start(string folder, params string[] arguments) => new(folder, arguments);

    /// <summary>A running `node peer.mjs …`; its stdout lines are collected as key=value reports.</summary>
    public sealed class PeerProcess : IDisposable
    {
        private readonly Process _process;
        private readonly List<string> _lines = [];
        private readonly SemaphoreSlim _lineArrived = new(0);

        public PeerProcess(string folder, string[] arguments)
        {
            var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("peer.mjs");
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            _process = new Process { StartInfo = start };
            _process.OutputDataReceived += (_, e) => Add(e.Data);
            _process.ErrorDataReceived += (_, e) => Add(e.Data is null ? null : "stderr: " + e.Data);
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string Transcript
        {
            get { lock (_lines) return string.Join("\n", _lines); }
        }

        /// <summary>The value of the first `key=value` token printed so far, waiting for it up to the limit.</summary>
        public async Task<string> ValueAsync(string key, TimeSpan limit)
        {
            var deadline = DateTime.UtcNow + limit;
            while (true)
            {
                lock (_lines)
                {
                    foreach (var token in _lines.SelectMany(line => line.Split(' ')))
                        if (token.StartsWith(key + "=", StringComparison.Ordinal)) return token[(key.Length + 1)..];
                }
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || (_process.HasExited && !await _lineArrived.WaitAsync(200)))
                    throw new TimeoutException($"node peer never printed '{key}='. Transcript:\n{Transcript}");
                await _lineArrived.WaitAsync(left < TimeSpan.FromMilliseconds(500) ? left : TimeSpan.FromMilliseconds(500));
            }
        }

        public async Task<int> ExitCodeAsync(TimeSpan limit)
        {
            using var timeout = new CancellationTokenSource(limit);
            await _process.WaitForExitAsync(timeout.Token);
            return _process.ExitCode;
        }

        private void Add(string? line)
        {
            if (line is null) return;
            lock (_lines) _lines.Add(line);
            _lineArrived.Release();
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException) { }
            _process.Dispose();
        }
    }
}

/// <summary>Skipped, with the reason, when node/npm or the shared anchor folder are absent.</summary>
public sealed class Libp2pInteropFactAttribute : FactAttribute
{
    public Libp2pInteropFactAttribute()
    {
        if (RequiresToolFactAttribute.FindTool("node") is null || RequiresToolFactAttribute.FindTool("npm") is null)
            Skip = "node and npm are not on PATH; install Node.js 20+ to run the js-libp2p-noise interop test.";
        else if (Libp2pNoisePeer.AnchorFolder is null)
            Skip = "shared/anchors/libp2p-noise-peer not found (set DREAMWELL_SHARED or place shared/ next to the repo).";
    }
}
