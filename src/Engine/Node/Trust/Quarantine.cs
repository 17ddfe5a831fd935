using System.Text.Json;

namespace Dreamwell.Node;

/// <summary>One quarantined peer (by QuantumId) or address (when no key was proven).</summary>
public sealed record QuarantineEntry(string Key, int Strikes, DateTimeOffset LastStrike, DateTimeOffset Until, string Reason);

/// <summary>
/// Who ShardBlade has quarantined, persisted in $DREAMWELL_HOME/quarantine.json so a restart keeps it. The n-th strike
/// within <see cref="StrikeMemory"/> of the previous one quarantines for 30 s · 2^(n−1), at most <see cref="MaxBackOff"/>.
/// Both lists are bounded; when full, the entry whose quarantine ended (or ends) first is evicted.
/// </summary>
public sealed class Quarantine
{
    public const string FileName = "quarantine.json";
    public const int MaxPeers = 1024;
    public const int MaxAddresses = 256;
    public static readonly TimeSpan FirstBackOff = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxBackOff = TimeSpan.FromHours(1);
    /// <summary>A strike this long after the previous one starts the schedule again at 30 s.</summary>
    public static readonly TimeSpan StrikeMemory = TimeSpan.FromHours(24);
    private const long MaxFileBytes = 1 << 20;
    private static readonly TimeSpan SaveInterval = TimeSpan.FromSeconds(1);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly string _path;
    private readonly object _gate = new();
    private QuarantineFile? _cache;
    private DateTimeOffset _saved = DateTimeOffset.MinValue;
    private bool _dirty;

    public Quarantine(DreamHome home) => _path = Path.Combine(home.Path, FileName);

    private sealed record QuarantineFile(List<QuarantineEntry> Peers, List<QuarantineEntry> Addresses);

    /// <summary>30 s doubling per strike, capped: the back-off for the given strike count (1 = first).</summary>
    public static TimeSpan BackOff(int strikes)
    {
        var doublings = Math.Clamp(strikes - 1, 0, 30);
        var seconds = FirstBackOff.TotalSeconds * Math.Pow(2, doublings);
        return seconds >= MaxBackOff.TotalSeconds ? MaxBackOff : TimeSpan.FromSeconds(seconds);
    }

    public QuarantineEntry StrikePeer(string quantumId, string reason, DateTimeOffset now) =>
        Strike(f => f.Peers, quantumId.ToLowerInvariant(), reason, now, MaxPeers);

    public QuarantineEntry StrikeAddress(string host, string reason, DateTimeOffset now) =>
        Strike(f => f.Addresses, host, reason, now, MaxAddresses);

    /// <summary>The quarantine in force for this QuantumId, or null.</summary>
    public QuarantineEntry? PeerQuarantine(string quantumId, DateTimeOffset now)
    {
        lock (_gate) return Load().Peers.FirstOrDefault(e => e.Key.Equals(quantumId, StringComparison.OrdinalIgnoreCase) && e.Until > now);
    }

    /// <summary>The quarantine in force for this host, or null.</summary>
    public QuarantineEntry? AddressQuarantine(string host, DateTimeOffset now)
    {
        lock (_gate) return Load().Addresses.FirstOrDefault(e => e.Key.Equals(host, StringComparison.OrdinalIgnoreCase) && e.Until > now);
    }

    public IReadOnlyList<QuarantineEntry> Peers()
    {
        lock (_gate) return Load().Peers.ToList();
    }

    public IReadOnlyList<QuarantineEntry> Addresses()
    {
        lock (_gate) return Load().Addresses.ToList();
    }

    private QuarantineEntry Strike(Func<QuarantineFile, List<QuarantineEntry>> list, string key, string reason, DateTimeOffset now, int bound)
    {
        lock (_gate)
        {
            var file = Load();
            var entries = list(file);
            var index = entries.FindIndex(e => e.Key.Equals(key, StringComparison.OrdinalIgnoreCase));
            var previous = index >= 0 ? entries[index] : null;
            var strikes = previous is not null && now - previous.LastStrike < StrikeMemory ? previous.Strikes + 1 : 1;
            var entry = new QuarantineEntry(key, strikes, now, now + BackOff(strikes), reason);
            if (index >= 0) entries.RemoveAt(index);
            while (entries.Count >= bound)
                entries.Remove(entries.MinBy(e => e.Until)!);
            entries.Add(entry);
            _cache = file;
            _dirty = true;
            // Written at once, but at most once a second: a flood of throw-away keys must not turn into a flood of fsyncs.
            if (now - _saved >= SaveInterval || now < _saved) Save(now);
            return entry;
        }
    }

    /// <summary>Writes strikes held back by the once-a-second limit (the node calls this when it stops).</summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (_dirty) Save(_saved);
        }
    }

    private void Save(DateTimeOffset now)
    {
        var file = _cache!;
        AtomicFile.Write(_path, s => JsonSerializer.Serialize(s, file, Json), overwrite: true, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _saved = now;
        _dirty = false;
    }

    // Read once, then served from memory: this node is the file's only writer while it runs.
    private QuarantineFile Load()
    {
        if (_cache is not null) return _cache;
        if (!File.Exists(_path)) return _cache = new QuarantineFile([], []);
        var info = new FileInfo(_path);
        if (info.Length > MaxFileBytes)
        {
            AsideFile.MoveAside(_path);
            return _cache = new QuarantineFile([], []);
        }
        try
        {
            var file = JsonSerializer.Deserialize<QuarantineFile>(File.ReadAllBytes(_path), Json);
            static List<QuarantineEntry> Clean(List<QuarantineEntry>? entries, int bound) =>
                (entries ?? []).Where(e => e is { Key: not null, Reason: not null }).OrderBy(e => e.Until).TakeLast(bound).ToList();
            return _cache = new QuarantineFile(Clean(file?.Peers, MaxPeers), Clean(file?.Addresses, MaxAddresses));
        }
        catch (JsonException)
        {
            // Kept aside, not overwritten; the audit entries in the seal chain still record every quarantine.
            AsideFile.MoveAside(_path);
            return _cache = new QuarantineFile([], []);
        }
    }
}
