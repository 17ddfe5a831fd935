namespace Dreamwell.Sync;

/// <summary>A portal this home takes part in: the folder, our role, the key and (for owners) who has joined.</summary>
public sealed record PortalRecord(
    string Id,
    string Name,
    string Path,
    string Role,
    string Key,
    string OwnerQuantumId,
    IReadOnlyList<string> Members,
    DateTimeOffset Created)
{
    public const string Owner = "Owner";
    public const string Member = "Member";

    public ShareKey ParsedKey => ShareKey.Parse(Key);
    public string ShortId => Id[..8];
}

/// <summary>
/// $DREAMWELL_HOME/portals.json (0600: it holds the keys) and each portal's state folder portals/&lt;id&gt;/ (index.db, chunk
/// cache). Cmdlets edit it with or without a running node; a running node reloads it when told over LQTP.
/// </summary>
public sealed class PortalRegistry
{
    public const string FileName = "portals.json";
    public const int MaxPortals = 256;

    private readonly DreamHome _home;
    private readonly RecordFile<PortalRecord> _file;

    public PortalRegistry(DreamHome home)
    {
        _home = home;
        _file = new RecordFile<PortalRecord>(System.IO.Path.Combine(home.Path, FileName), "PortalRegistry",
            p => p is { Id: not null, Path: not null, Key: not null }, p => p with { Members = p.Members ?? [] });
    }

    public string StateFolder(string id) => System.IO.Path.Combine(_home.Path, "portals", id);

    public IReadOnlyList<PortalRecord> All() => _file.All();

    /// <summary>The portal with this id, short id or name (case-insensitive), or null.</summary>
    public PortalRecord? Find(string idOrName)
    {
        var all = All();
        return all.FirstOrDefault(p => p.Id.Equals(idOrName, StringComparison.OrdinalIgnoreCase))
            ?? all.FirstOrDefault(p => p.ShortId.Equals(idOrName, StringComparison.OrdinalIgnoreCase))
            ?? all.FirstOrDefault(p => p.Name.Equals(idOrName, StringComparison.OrdinalIgnoreCase));
    }

    public PortalRecord Add(PortalRecord portal)
    {
        _home.Ensure();
        var full = System.IO.Path.GetFullPath(portal.Path);
        if (new SignalRegistry(_home).All().FirstOrDefault(s => SharedFolders.Overlap(s.Path, full)) is { } signal)
            throw new DreamException("PortalFolderInUse", DreamErrorKind.AlreadyExists, $"'{full}' overlaps the folder of signal '{signal.Name}'; a folder is either a portal or a signal.");
        return _file.Change(portals =>
        {
            if (portals.FirstOrDefault(p => p.Id == portal.Id) is { } same)
                throw new DreamException("PortalExists", DreamErrorKind.AlreadyExists, $"Portal {portal.ShortId} is already set up here (folder '{same.Path}').");
            if (portals.FirstOrDefault(p => SharedFolders.Overlap(p.Path, full)) is { } overlap)
                throw new DreamException("PortalFolderInUse", DreamErrorKind.AlreadyExists, $"'{full}' overlaps the folder of portal '{overlap.Name}' ({overlap.Path}); one folder, one portal.");
            if (portals.Count >= MaxPortals) throw new DreamException(SyncErrors.LimitExceeded, DreamErrorKind.LimitExceeded, $"At most {MaxPortals} portals per home.");
            var stored = portal with { Path = full };
            portals.Add(stored);
            return stored;
        });
    }

    public PortalRecord Update(string id, Func<PortalRecord, PortalRecord> change) => _file.Change(portals =>
    {
        var index = portals.FindIndex(p => p.Id == id);
        if (index < 0) throw NotFound(id);
        portals[index] = change(portals[index]);
        return portals[index];
    });

    /// <summary>Forgets a portal and its state folder; the synced folder itself is never touched.</summary>
    public PortalRecord Remove(string idOrName)
    {
        var match = Find(idOrName) ?? throw NotFound(idOrName);
        _file.Change(portals => portals.RemoveAll(p => p.Id == match.Id));
        SharedFolders.TryDeleteState(StateFolder(match.Id));
        return match;
    }

    public static DreamException NotFound(string idOrName) =>
        new("PortalNotFound", DreamErrorKind.NotFound, $"No portal '{idOrName}' in this home. Get-Portal lists them.");
}

/// <summary>Rules shared by portals and signals about the folders they sync.</summary>
internal static class SharedFolders
{
    public static bool Overlap(string a, string b)
    {
        static string Slash(string p) => System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(p)) + System.IO.Path.DirectorySeparatorChar;
        var (x, y) = (Slash(a), Slash(b));
        return x.StartsWith(y, StringComparison.Ordinal) || y.StartsWith(x, StringComparison.Ordinal);
    }

    public static void TryDeleteState(string stateFolder)
    {
        try { if (Directory.Exists(stateFolder)) Directory.Delete(stateFolder, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* a running node may still hold the index; it is recreated on demand */ }
    }
}
