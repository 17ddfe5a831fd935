namespace Dreamwell.Sync;

// TEMPORARY profiling aid (removed before commit).
internal static class SyncTrace
{
    private static readonly string? PathName = Environment.GetEnvironmentVariable("DREAMWELL_SYNC_TRACE");
    private static readonly object Gate = new();
    public static void Log(string what)
    {
        if (PathName is null) return;
        var t = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        lock (Gate) File.AppendAllText(PathName, $"{t:F3} {what}\n");
    }
    public static long Fetch, Fsync, Local, Rename, Gets, Puts;
}
