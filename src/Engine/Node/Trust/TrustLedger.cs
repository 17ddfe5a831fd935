using System.Text.Json;

namespace Dreamwell.Node;

/// <summary>
/// Trust temperatures per QuantumId, persisted in $DREAMWELL_HOME/trust.json: written when a warmed peer's link ends, when
/// the node stops, and at most once a minute while heartbeats or freezes change it. Bounded; when full, the
/// coldest peer is forgotten (forgetting is the same as cold).
/// </summary>
public sealed class TrustLedger
{
    public const string FileName = "trust.json";
    public const int MaxPeers = 4096;
    private static readonly TimeSpan SaveInterval = TimeSpan.FromMinutes(1);
    private const long MaxFileBytes = 4 << 20;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly string _path;
    private readonly TimeProvider _clock;
    private readonly object _gate = new();
    private Dictionary<string, TrustTemperature>? _peers;
    private bool _dirty;
    private DateTimeOffset _saved = DateTimeOffset.MinValue;

    public TrustLedger(DreamHome home, TimeProvider? clock = null)
    {
        _path = Path.Combine(home.Path, FileName);
        _clock = clock ?? TimeProvider.System;
    }

    private sealed record TrustRecord(string QuantumId, double Trust, DateTimeOffset Touched, DateTimeOffset? FrozenUntil);

    private sealed record TrustFile(List<TrustRecord> Peers);

    /// <summary>The temperature of a peer now (0 for a peer never heard).</summary>
    public double Read(string quantumId)
    {
        lock (_gate) return Load().TryGetValue(quantumId, out var t) ? Math.Round(t.At(_clock.GetUtcNow()), 4) : 0;
    }

    public void LinkUp(string quantumId) => Update(quantumId, (t, now) => t.Touch(now), persist: false);

    public void Heartbeat(string quantumId) => Update(quantumId, (t, now) => t.Heartbeat(now), persist: false);

    /// <summary>A link ended: saved at once when the peer had warmed at all (a link that never warmed changes nothing worth a write).</summary>
    public void LinkDown(string quantumId)
    {
        lock (_gate)
        {
            if (!Load().TryGetValue(quantumId, out var t) || t.Value <= 0) return;
        }
        Update(quantumId, (t, now) => t, persist: true);
    }

    /// <summary>
    /// ShardBlade: the peer goes to 0 and stays there until its quarantine ends. A peer never heard is cold already and
    /// gets no entry, so throw-away keys cannot crowd real peers out of the ledger. Saved with the next periodic save:
    /// quarantine.json, written at once, is what refuses the peer after a crash.
    /// </summary>
    public void Freeze(string quantumId, DateTimeOffset until)
    {
        lock (_gate)
        {
            if (!Load().ContainsKey(quantumId)) return;
        }
        Update(quantumId, (t, now) => t.Freeze(now, until), persist: false);
    }

    /// <summary>Writes pending changes (the node calls this when it stops).</summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (_dirty) Save();
        }
    }

    private void Update(string quantumId, Func<TrustTemperature, DateTimeOffset, TrustTemperature> change, bool persist)
    {
        lock (_gate)
        {
            var peers = Load();
            var now = _clock.GetUtcNow();
            var current = peers.TryGetValue(quantumId, out var t) ? t : TrustTemperature.Cold(now);
            peers[quantumId] = change(current, now);
            _dirty = true;
            if (peers.Count > MaxPeers)
                peers.Remove(peers.Where(p => !p.Value.IsFrozen(now)).MinBy(p => p.Value.At(now)).Key ?? peers.Keys.First());
            if (persist || now - _saved >= SaveInterval) Save();
        }
    }

    private void Save()
    {
        var peers = Load();
        var file = new TrustFile(peers.Select(p => new TrustRecord(p.Key, p.Value.Value, p.Value.Touched,
            p.Value.FrozenUntil == DateTimeOffset.MinValue ? null : p.Value.FrozenUntil)).ToList());
        AtomicFile.Write(_path, s => JsonSerializer.Serialize(s, file, Json), overwrite: true, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _dirty = false;
        _saved = _clock.GetUtcNow();
    }

    private Dictionary<string, TrustTemperature> Load()
    {
        if (_peers is not null) return _peers;
        _peers = new Dictionary<string, TrustTemperature>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(_path)) return _peers;
        var info = new FileInfo(_path);
        if (info.Length > MaxFileBytes)
        {
            AsideFile.MoveAside(_path);
            return _peers;
        }
        try
        {
            var file = JsonSerializer.Deserialize<TrustFile>(File.ReadAllBytes(_path), Json);
            foreach (var record in (file?.Peers ?? []).Where(r => r is { QuantumId: not null }).Take(MaxPeers))
                _peers[record.QuantumId] = new TrustTemperature(double.IsFinite(record.Trust) ? Math.Clamp(record.Trust, 0, 1) : 0,
                    record.Touched, record.FrozenUntil ?? DateTimeOffset.MinValue);
        }
        catch (JsonException)
        {
            // Trust is derived state: a damaged file is kept aside for inspection and every peer starts cold.
            _peers.Clear();
            AsideFile.MoveAside(_path);
        }
        return _peers;
    }
}
