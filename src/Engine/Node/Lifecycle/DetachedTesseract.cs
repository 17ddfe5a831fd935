using System.Diagnostics;

namespace Dreamwell.Node;

/// <summary>
/// Starts `dream tesseract start …` as its own process that outlives the caller (a new session via setsid on Unix,
/// stdin from /dev/null, stdout and stderr appended to $DREAMWELL_HOME/logs/tesseract-*.log) and waits until the node
/// has written tesseract.json and answers on its control port. See docs/protocol.md, "Detached nodes".
/// </summary>
public static class DetachedTesseract
{
    public const string Failed = "DetachedTesseractFailed";
    public static readonly TimeSpan DefaultReadyTimeout = TimeSpan.FromSeconds(60);
    private const string LogVariable = "DREAMWELL_TESSERACT_LOG";

    /// <summary>The log the detached node writes to, and its status once it answers.</summary>
    public sealed record Started(TesseractStatus Status, string LogPath);

    public static Started Start(DreamHome home, DreamLocator.DreamCommand dream, IReadOnlyList<string> tesseractArguments, TimeSpan readyTimeout, CancellationToken cancellationToken)
    {
        home.Ensure();
        if (TesseractNode.ReadInfo(home) is { } running && TryStatus(home) is not null)
            throw new DreamException(TesseractErrors.AlreadyRunning, DreamErrorKind.AlreadyExists,
                $"A tesseract ({running.Name}, pid {running.Pid}, control port {running.ControlPort}) already runs for '{home.Path}'. Stop it with Stop-Tesseract, or use another DREAMWELL_HOME.");
        var logs = Path.Combine(home.Path, "logs");
        Directory.CreateDirectory(logs);
        var launched = DateTimeOffset.UtcNow;
        var log = Path.Combine(logs, $"tesseract-{launched:yyyyMMdd-HHmmss-fff}.log");
        var start = StartInfo(dream, ["tesseract", "start", .. tesseractArguments], log);
        start.Environment["DREAMWELL_HOME"] = home.Path;
        start.Environment[LogVariable] = log;
        start.Environment["NO_COLOR"] = "1"; // a log file, not a terminal: no ANSI escapes

        Process process;
        try { process = Process.Start(start) ?? throw new InvalidOperationException("no process was started"); }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new DreamException(Failed, DreamErrorKind.ResourceUnavailable, $"Could not run '{dream.FileName}': {e.Message}", e);
        }
        using (process)
        {
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (process.HasExited)
                    throw new DreamException(Failed, DreamErrorKind.ResourceUnavailable,
                        $"The detached tesseract exited (code {process.ExitCode}) before it answered. Its log ({log}) ends with:{Environment.NewLine}{Tail(log)}");
                // The node is dream itself on Unix (setsid and sh exec it); on Windows cmd.exe stands between, so the start time decides.
                if (TesseractNode.ReadInfo(home) is { } info && (info.Pid == process.Id || (OperatingSystem.IsWindows() && info.Started > launched))
                    && TryStatus(home) is { } status)
                    return new Started(status, log);
                if (deadline.Elapsed > readyTimeout)
                {
                    try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                    throw new DreamException(Failed, DreamErrorKind.ResourceUnavailable,
                        $"The detached tesseract did not answer within {readyTimeout.TotalSeconds:0} s and was killed. Its log ({log}) ends with:{Environment.NewLine}{Tail(log)}");
                }
                Thread.Sleep(100);
            }
        }
    }

    /// <summary>The `dream tesseract start` flags for these settings (discoveryPort null: --no-discovery).</summary>
    public static IReadOnlyList<string> Arguments(string? name, int controlPort, int peerPort, TimeSpan heartbeat, int? discoveryPort, System.Net.IPAddress? discoveryInterface)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var list = new List<string>();
        if (!string.IsNullOrWhiteSpace(name)) list.AddRange(["--name", name]);
        list.AddRange(["--control-port", controlPort.ToString(inv), "--peer-port", peerPort.ToString(inv),
            "--heartbeat-ms", ((long)Math.Round(heartbeat.TotalMilliseconds)).ToString(inv)]);
        if (discoveryPort is { } port) list.AddRange(["--discovery-port", port.ToString(inv)]);
        else list.Add("--no-discovery");
        if (discoveryPort is not null && discoveryInterface is not null && !System.Net.IPAddress.IsLoopback(discoveryInterface))
            list.AddRange(["--discovery-interface", discoveryInterface.ToString()]);
        return list;
    }

    private static ProcessStartInfo StartInfo(DreamLocator.DreamCommand dream, IReadOnlyList<string> arguments, string log)
    {
        if (OperatingSystem.IsWindows())
        {
            // cmd does the redirection; a process started without a console window is not tied to this session.
            var line = string.Join(' ', new[] { dream.FileName }.Concat(dream.Prefix).Concat(arguments).Select(QuoteForCmd));
            return new ProcessStartInfo("cmd.exe") { Arguments = $"/d /s /c \"{line} <NUL >>{QuoteForCmd(log)} 2>&1\"", UseShellExecute = false, CreateNoWindow = true };
        }
        // setsid: a new session, so the terminal's hangup and the shell's job control never reach the node. The log path
        // travels in the environment so nothing is spliced into the shell text.
        var setsid = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);
        var script = (setsid is null ? "trap '' HUP; " : "") + $"exec \"$0\" \"$@\" </dev/null >>\"${LogVariable}\" 2>&1";
        var start = new ProcessStartInfo(setsid ?? "/bin/sh") { UseShellExecute = false };
        if (setsid is not null) start.ArgumentList.Add("/bin/sh");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(dream.FileName);
        foreach (var a in dream.Prefix.Concat(arguments)) start.ArgumentList.Add(a);
        return start;
    }

    private static TesseractStatus? TryStatus(DreamHome home)
    {
        try { return TesseractClient.ForHome(home).StatusAsync().GetAwaiter().GetResult(); }
        catch (DreamException) { return null; }
    }

    /// <summary>The last lines of the log, for an error message.</summary>
    public static string Tail(string log, int lines = 20)
    {
        try
        {
            using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Seek(Math.Max(0, stream.Length - 8192), SeekOrigin.Begin);
            var text = new StreamReader(stream).ReadToEnd();
            var all = text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
            return all.Length == 0 ? "(the log is empty)" : string.Join(Environment.NewLine, all.TakeLast(lines));
        }
        catch (IOException e) { return $"(the log could not be read: {e.Message})"; }
    }

    private static string QuoteForCmd(string value) => value.Any(c => c is ' ' or '"' or '&' or '|' or '<' or '>' or '^') ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
}
