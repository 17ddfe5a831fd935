using System.Text.Json;

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
    private const long MaxFileBytes = 4 << 20;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private static readonly object FileGate = new();

    private readonly DreamHome _home;

    public PortalRegistry(DreamHome home) => _home = home;

    private string FilePath => System.IO.Path.Combine(_home.Path, FileName);

    public string StateFolder(string id) => System.IO.Path.Combine(_home.Path, "portals", id);

    private sealed record RegistryFile(List<PortalRecord> Portals);

    public IReadOnlyList<PortalRecord> All()
    {
        lock (FileGate) return Load();
    }

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
        lock (FileGate)
        {
            var portals = Load();
            var full = System.IO.Path.GetFullPath(portal.Path);
            if (portals.Any(p => p.Id == portal.Id))
                throw new DreamException("PortalExists", DreamErrorKind.AlreadyExists, $"Portal {portal.ShortId} is already set up here (folder '{portals.First(p => p.Id == portal.Id).Path}').");
            if (portals.FirstOrDefault(p => Overlaps(p.Path, full)) is { } overlap)
                throw new DreamException("PortalFolderInUse", DreamErrorKind.AlreadyExists, $"'{full}' overlaps the folder of portal '{overlap.Name}' ({overlap.Path}); one folder, one portal.");
            if (portals.Count >= MaxPortals) throw new DreamException(SyncErrors.LimitExceeded, DreamErrorKind.LimitExceeded, $"At most {MaxPortals} portals per home.");
            var stored = portal with { Path = full };
            portals.Add(stored);
            Save(portals);
            return stored;
        }
    }

    public PortalRecord Update(string id, Func<PortalRecord, PortalRecord> change)
    {
        lock (FileGate)
        {
            var portals = Load();
            var index = portals.FindIndex(p => p.Id == id);
            if (index < 0) throw NotFound(id);
            portals[index] = change(portals[index]);
            Save(portals);
            return portals[index];
        }
    }

    /// <summary>Forgets a portal and its state folder; the synced folder itself is never touched.</summary>
    public PortalRecord Remove(string idOrName)
    {
        lock (FileGate)
        {
            var match = Find(idOrName) ?? throw NotFound(idOrName);
            var portals = Load();
            portals.RemoveAll(p => p.Id == match.Id);
            Save(portals);
            try { if (Directory.Exists(StateFolder(match.Id))) Directory.Delete(StateFolder(match.Id), recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* a running node may still hold the index; it is recreated on demand */ }
            return match;
        }
    }

    public static DreamException NotFound(string idOrName) =>
        new("PortalNotFound", DreamErrorKind.NotFound, $"No portal '{idOrName}' in this home. Get-Portal lists them.");

    private static bool Overlaps(string a, string b)
    {
        static string Slash(string p) => System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(p)) + System.IO.Path.DirectorySeparatorChar;
        var (x, y) = (Slash(a), Slash(b));
        return x.StartsWith(y, StringComparison.Ordinal) || y.StartsWith(x, StringComparison.Ordinal);
    }

    private void Save(List<PortalRecord> portals)
    {
        _home.Ensure();
        AtomicFile.Write(FilePath, s => JsonSerializer.Serialize(s, new RegistryFile(portals), Json), overwrite: true, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private List<PortalRecord> Load()
    {
        if (!File.Exists(FilePath)) return [];
        var length = new FileInfo(FilePath).Length;
        if (length > MaxFileBytes) throw new DreamFormatException("PortalRegistryTooLarge", $"'{FilePath}' is {length} bytes; at most {MaxFileBytes}.");
        try
        {
            var file = JsonSerializer.Deserialize<RegistryFile>(File.ReadAllBytes(FilePath), Json);
            return file?.Portals?.Where(p => p is { Id: not null, Path: not null, Key: not null }).Select(p => p with { Members = p.Members ?? [] }).ToList() ?? [];
        }
        catch (JsonException e)
        {
            throw new DreamFormatException("PortalRegistryInvalid", $"'{FilePath}' is not valid: {e.Message}. Fix or remove it.", inner: e);
        }
    }
}
