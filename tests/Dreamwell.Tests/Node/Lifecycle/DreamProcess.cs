using System.Diagnostics;
using System.Text;
using Dreamwell.Node;
using Dreamwell.Tests.Discovery;

namespace Dreamwell.Tests.Node.Lifecycle;

/// <summary>
/// The `dream` host built beside these tests (src/Host/bin/&lt;config&gt;/net10.0/dream, or $DREAMWELL_DREAM / $DREAM_EXE),
/// run as real processes in their own homes. Every process started here is killed in Dispose if it is still running.
/// </summary>
internal sealed class DreamProcess : IDisposable
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static readonly Lazy<string?> Located = new(Locate);
    private readonly StringBuilder _output = new();

    private DreamProcess(Process process, DreamHome home)
    {
        Process = process;
        Home = home;
    }

    public static string? Executable => Located.Value;

    public Process Process { get; }
    public DreamHome Home { get; }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static DreamProcess Start(DreamHome home, params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable ?? throw new InvalidOperationException("dream was not built"))
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["DREAMWELL_HOME"] = home.Path;
        start.Environment["NO_COLOR"] = "1";
        var process = Process.Start(start)!;
        var dream = new DreamProcess(process, home);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (dream._output) dream._output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (dream._output) dream._output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return dream;
    }

    /// <summary>Waits until the home's node has written tesseract.json and answers status over LQTP.</summary>
    public static async Task<TesseractStatus> WaitUntilAnsweringAsync(DreamHome home, Func<string> diagnostics)
    {
        var end = DateTime.UtcNow + Bound;
        while (true)
        {
            if (TesseractNode.ReadInfo(home) is not null)
            {
                try { return await TesseractClient.ForHome(home).StatusAsync(); }
                catch (DreamException) { /* not answering yet */ }
            }
            if (DateTime.UtcNow > end) throw new TimeoutException($"The node in {home.Path} did not answer within {Bound.TotalSeconds} s. Output:\n{diagnostics()}");
            await Task.Delay(100);
        }
    }

    public async Task<int> WaitForExitAsync()
    {
        using var bound = new CancellationTokenSource(Bound);
        await Process.WaitForExitAsync(bound.Token);
        return Process.ExitCode;
    }

    public void Dispose()
    {
        try { if (!Process.HasExited) Process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
        Process.Dispose();
    }

    /// <summary>Kills whatever node tesseract.json of this home still names (a detached node a failed test left behind).</summary>
    public static void KillLeftover(DreamHome home)
    {
        if (TesseractNode.ReadInfo(home) is not { } info) return;
        try
        {
            using var leftover = Process.GetProcessById(info.Pid);
            if (Path.GetFileName(leftover.MainModule?.FileName ?? "") is "dream" or "dream.exe") leftover.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception) { }
    }

    private static string? Locate()
    {
        foreach (var variable in new[] { DreamLocator.EnvironmentVariable, "DREAM_EXE" })
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } configured && File.Exists(configured)) return Path.GetFullPath(configured);
        var config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (!File.Exists(Path.Combine(folder.FullName, "Dreamwell.PowerShell.sln"))) continue;
            var dream = Path.Combine(folder.FullName, "src", "Host", "bin", config, "net10.0", OperatingSystem.IsWindows() ? "dream.exe" : "dream");
            return File.Exists(dream) ? dream : null;
        }
        return null;
    }
}

/// <summary>A fact that needs the dream host built (`dotnet build src/Host`, which build/test.sh does); skipped, saying so, otherwise.</summary>
public sealed class DreamHostFactAttribute : FactAttribute
{
    public DreamHostFactAttribute()
    {
        if (DreamProcess.Executable is null)
            Skip = "dream is not built: run `dotnet build src/Host -c Release` (or set DREAMWELL_DREAM to a dream executable).";
    }
}

/// <summary>Needs dream and multicast on loopback.</summary>
public sealed class DreamHostDiscoveryFactAttribute : FactAttribute
{
    public DreamHostDiscoveryFactAttribute()
    {
        if (DreamProcess.Executable is null)
            Skip = "dream is not built: run `dotnet build src/Host -c Release` (or set DREAMWELL_DREAM to a dream executable).";
        else if (LoopbackMulticast.WhyUnavailable is { } reason)
            Skip = "Discovery needs multicast on loopback: " + reason;
    }
}
