using System.Globalization;

namespace Dreamwell.Sync;

/// <summary>
/// Syncthing's rule for concurrent changes to one path: a modification beats a deletion; otherwise the newer
/// modification time wins; equal times fall back to the version vectors' deterministic tie-break. The loser is
/// kept beside the winner as name.sync-conflict-yyyyMMdd-HHmmss-QUANTUMID.ext (docs/sync.md, "Conflicts").
/// </summary>
public static class ConflictRule
{
    /// <summary>True when <paramref name="ours"/> wins over the concurrent <paramref name="theirs"/>.</summary>
    public static bool Wins(SyncFileState ours, SyncFileState theirs)
    {
        if (!ours.Deleted && theirs.Deleted) return true;
        if (ours.Deleted && !theirs.Deleted) return false;
        if (ours.ModifiedUnixNs != theirs.ModifiedUnixNs) return ours.ModifiedUnixNs > theirs.ModifiedUnixNs;
        return ours.Version.Compare(theirs.Version) == VersionOrder.ConcurrentGreater;
    }

    /// <summary>The name a losing copy is kept under, in the same folder: "a/b.txt" → "a/b.sync-conflict-20261125-211500-0123456789abcdef.txt".</summary>
    public static string ConflictName(string path, DateTimeOffset modified, string quantumId)
    {
        var slash = path.LastIndexOf('/');
        var folder = slash >= 0 ? path[..(slash + 1)] : "";
        var leaf = path[(slash + 1)..];
        var dot = leaf.LastIndexOf('.');
        var (stem, extension) = dot > 0 ? (leaf[..dot], leaf[dot..]) : (leaf, "");
        var stamp = modified.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        return $"{folder}{stem}.sync-conflict-{stamp}-{quantumId}{extension}";
    }

    public static bool IsConflictCopy(string path) => path.Contains(".sync-conflict-", StringComparison.Ordinal);
}
