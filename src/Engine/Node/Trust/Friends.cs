using System.Text.Json;

namespace Dreamwell.Node;

/// <summary>A peer its owner chose to trust: the QuantumId, a label, and addresses to dial it at.</summary>
public sealed record DreamFriend(string QuantumId, string Label, IReadOnlyList<string> Addresses, DateTimeOffset Added);

/// <summary>
/// The friends list in $DREAMWELL_HOME/tesseracts.json. Friends may send files without asking, skip the handshake
/// puzzle while they hold a recent session, and can be dialed by label or QuantumId. Bounded, written atomically.
/// </summary>
public sealed class Friends
{
    public const string FileName = "tesseracts.json";
    public const int MaxFriends = 4096;
    private const long MaxFileBytes = 4 << 20;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly string _path;
    private readonly object _gate = new();

    public Friends(DreamHome home) => _path = Path.Combine(home.Path, FileName);

    private sealed record FriendFile(List<DreamFriend> Friends);

    public IReadOnlyList<DreamFriend> All()
    {
        lock (_gate) return Load();
    }

    public bool IsFriend(string quantumId) => Find(quantumId) is not null;

    /// <summary>The friend with this QuantumId or label (case-insensitive), or null.</summary>
    public DreamFriend? Find(string quantumIdOrLabel)
    {
        var all = All();
        return all.FirstOrDefault(f => f.QuantumId.Equals(quantumIdOrLabel, StringComparison.OrdinalIgnoreCase))
            ?? all.FirstOrDefault(f => f.Label.Equals(quantumIdOrLabel, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Adds or updates a friend (same QuantumId: label and addresses replaced, Added kept).</summary>
    public DreamFriend Add(string quantumId, string? label, IEnumerable<string>? addresses)
    {
        var id = (quantumId ?? "").Trim().ToLowerInvariant();
        if (id.Length != 16 || !id.All(Uri.IsHexDigit))
            throw new DreamException("BadQuantumId", DreamErrorKind.InvalidArgument, $"'{quantumId}' is not a QuantumId (16 hex digits, as Get-DreamIdentity shows).");
        var name = string.IsNullOrWhiteSpace(label) ? id : label.Trim();
        if (name.Length > 128) throw new DreamException("BadFriendLabel", DreamErrorKind.InvalidArgument, "A friend's label is at most 128 characters.");
        var dial = (addresses ?? []).Select(a => a.Trim()).Where(a => a.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var address in dial) TesseractNode.ParseAddress(address);
        lock (_gate)
        {
            var friends = Load();
            var existing = friends.FindIndex(f => f.QuantumId == id);
            if (friends.Any(f => f.QuantumId != id && f.Label.Equals(name, StringComparison.OrdinalIgnoreCase)))
                throw new DreamException("FriendLabelInUse", DreamErrorKind.AlreadyExists, $"Another friend is already labelled '{name}'.");
            var friend = new DreamFriend(id, name, dial.Count > 0 || existing < 0 ? dial : friends[existing].Addresses, existing >= 0 ? friends[existing].Added : DateTimeOffset.UtcNow);
            if (existing >= 0) friends[existing] = friend;
            else if (friends.Count >= MaxFriends) throw new DreamException("TooManyFriends", DreamErrorKind.LimitExceeded, $"At most {MaxFriends} friends.");
            else friends.Add(friend);
            Save(friends);
            return friend;
        }
    }

    /// <summary>Removes a friend by QuantumId or label; returns the removed friend or null when there was none.</summary>
    public DreamFriend? Remove(string quantumIdOrLabel)
    {
        lock (_gate)
        {
            var friends = Load();
            var match = friends.FirstOrDefault(f => f.QuantumId.Equals(quantumIdOrLabel, StringComparison.OrdinalIgnoreCase))
                ?? friends.FirstOrDefault(f => f.Label.Equals(quantumIdOrLabel, StringComparison.OrdinalIgnoreCase));
            if (match is null) return null;
            friends.Remove(match);
            Save(friends);
            return match;
        }
    }

    private void Save(List<DreamFriend> friends) =>
        AtomicFile.Write(_path, s => JsonSerializer.Serialize(s, new FriendFile(friends), Json), overwrite: true, UnixFileMode.UserRead | UnixFileMode.UserWrite);

    private List<DreamFriend> Load()
    {
        if (!File.Exists(_path)) return [];
        var info = new FileInfo(_path);
        if (info.Length > MaxFileBytes)
            throw new DreamFormatException("FriendsFileTooLarge", $"'{_path}' is {info.Length} bytes; at most {MaxFileBytes}.");
        try
        {
            var file = JsonSerializer.Deserialize<FriendFile>(File.ReadAllBytes(_path), Json);
            return file?.Friends?.Where(f => f is { QuantumId: not null, Label: not null }).Select(f => f with { Addresses = f.Addresses ?? [] }).ToList() ?? [];
        }
        catch (JsonException e)
        {
            throw new DreamFormatException("FriendsFileInvalid", $"'{_path}' is not valid: {e.Message}. Fix or remove it.", inner: e);
        }
    }
}
