using System.Text.Json;

namespace Dreamwell.Sync;

/// <summary>
/// What an apply is about to put on disk, committed to the index before the first file is renamed into place and
/// cleared with the apply's own commit. A process killed in between leaves files whose index entries were never
/// written; without the journal the next scan would take them for local edits and give them a new local version,
/// which is concurrent with the peer's and can bring a file the peer has since deleted back to life (modify beats
/// delete). With it, the scan first adopts each journaled state the disk really holds, under the peer's version.
/// </summary>
public static class ApplyJournal
{
    private const string Key = "apply-journal";

    private sealed record Entry(string Path, long Size, long ModifiedUnixNs, bool Deleted, string Version, IReadOnlyList<SyncChunk> Chunks);

    /// <summary>Records the states an apply may write (one index commit).</summary>
    public static void Begin(SyncIndex index, IEnumerable<SyncFileState> states) =>
        index.SetMeta(Key, JsonSerializer.Serialize(states.Select(s => new Entry(s.Path, s.Size, s.ModifiedUnixNs, s.Deleted, s.Version.ToString(), s.Chunks)).ToList()));

    /// <summary>Clears the journal; called inside the apply's batch so it goes with the apply's index entries.</summary>
    public static void End(SyncIndex index) => index.SetMeta(Key, "");

    /// <summary>
    /// Adopts what an interrupted apply left: every journaled state that the disk holds (same size and time, as the
    /// applier sets them) while the index says otherwise gets the peer's version merged into ours. Idempotent.
    /// </summary>
    public static int Recover(string root, SyncIndex index)
    {
        var text = index.GetMeta(Key);
        if (string.IsNullOrEmpty(text)) return 0;
        List<Entry>? entries;
        try { entries = JsonSerializer.Deserialize<List<Entry>>(text); }
        catch (JsonException) { entries = null; }
        var adopted = 0;
        foreach (var entry in entries ?? [])
        {
            if (!SyncPath.IsValid(entry.Path, out _)) continue;
            try
            {
                var info = new FileInfo(SyncPath.Resolve(root, entry.Path));
                var ours = index.Get(entry.Path);
                if (ours is not null && Holds(info, ours.Deleted, ours.Size, ours.ModifiedUnixNs)) continue; // the index already says what is there
                if (!Holds(info, entry.Deleted, entry.Size, entry.ModifiedUnixNs) || (ours is null && entry.Deleted)) continue; // not what the apply wrote
                var version = (ours?.Version ?? VersionVector.Empty).Merge(VersionVector.Parse(entry.Version));
                var mode = entry.Deleted ? ours!.Mode : FolderScanner.Stat(info).Mode;
                index.Put(new SyncFileState(entry.Path, entry.Size, mode, entry.ModifiedUnixNs, entry.Deleted, version, entry.Chunks));
                adopted++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or DreamException) { }
        }
        End(index);
        return adopted;
    }

    private static bool Holds(FileInfo info, bool deleted, long size, long modifiedUnixNs)
    {
        info.Refresh();
        if (deleted) return !info.Exists;
        return info.Exists && info.Length == size && (info.LastWriteTimeUtc - DateTime.UnixEpoch).Ticks * 100 == modifiedUnixNs;
    }
}
