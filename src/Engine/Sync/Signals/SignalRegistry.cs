namespace Dreamwell.Sync;

/// <summary>A signal this home publishes or follows: the folder, our role and the key.</summary>
public sealed record SignalRecord(string Id, string Name, string Path, string Role, string Key, string PublisherQuantumId, DateTimeOffset Created)
{
    public const string Publisher = "Publisher";
    public const string Subscriber = "Subscriber";

    public ShareKey ParsedKey => ShareKey.Parse(Key);
    public string ShortId => Id[..8];
}

/// <summary>$DREAMWELL_HOME/signals.json and each signal's state folder signals/&lt;id&gt;/ (index, head, manifest, chunk cache).</summary>
public sealed class SignalRegistry
{
    public const string FileName = "signals.json";
    public const int MaxSignals = 256;

    private readonly DreamHome _home;
    private readonly RecordFile<SignalRecord> _file;

    public SignalRegistry(DreamHome home)
    {
        _home = home;
        _file = new RecordFile<SignalRecord>(System.IO.Path.Combine(home.Path, FileName), "SignalRegistry", s => s is { Id: not null, Path: not null, Key: not null });
    }

    public string StateFolder(string id) => System.IO.Path.Combine(_home.Path, "signals", id);

    public IReadOnlyList<SignalRecord> All() => _file.All();

    public SignalRecord? Find(string idOrName)
    {
        var all = All();
        return all.FirstOrDefault(s => s.Id.Equals(idOrName, StringComparison.OrdinalIgnoreCase))
            ?? all.FirstOrDefault(s => s.ShortId.Equals(idOrName, StringComparison.OrdinalIgnoreCase))
            ?? all.FirstOrDefault(s => s.Name.Equals(idOrName, StringComparison.OrdinalIgnoreCase));
    }

    public SignalRecord Add(SignalRecord signal)
    {
        _home.Ensure();
        var full = System.IO.Path.GetFullPath(signal.Path);
        var portals = new PortalRegistry(_home).All();
        if (portals.FirstOrDefault(p => SharedFolders.Overlap(p.Path, full)) is { } portal)
            throw new DreamException("SignalFolderInUse", DreamErrorKind.AlreadyExists, $"'{full}' overlaps the folder of portal '{portal.Name}'; a folder is either a portal or a signal.");
        return _file.Change(signals =>
        {
            if (signals.FirstOrDefault(s => s.Id == signal.Id) is { } same)
                throw new DreamException("SignalExists", DreamErrorKind.AlreadyExists, $"Signal {signal.ShortId} is already set up here (folder '{same.Path}').");
            if (signals.FirstOrDefault(s => SharedFolders.Overlap(s.Path, full)) is { } overlap)
                throw new DreamException("SignalFolderInUse", DreamErrorKind.AlreadyExists, $"'{full}' overlaps the folder of signal '{overlap.Name}' ({overlap.Path}).");
            if (signal.Role == SignalRecord.Publisher && signals.Any(s => s.Role == SignalRecord.Publisher && s.Name.Equals(signal.Name, StringComparison.OrdinalIgnoreCase)))
                throw new DreamException("SignalExists", DreamErrorKind.AlreadyExists, $"This home already publishes a signal named '{signal.Name}'.");
            if (signals.Count >= MaxSignals) throw new DreamException(SyncErrors.LimitExceeded, DreamErrorKind.LimitExceeded, $"At most {MaxSignals} signals per home.");
            var stored = signal with { Path = full };
            signals.Add(stored);
            return stored;
        });
    }

    /// <summary>Forgets a signal and its state; the folder itself is never touched.</summary>
    public SignalRecord Remove(string idOrName)
    {
        var match = Find(idOrName) ?? throw NotFound(idOrName);
        _file.Change(signals => signals.RemoveAll(s => s.Id == match.Id));
        SharedFolders.TryDeleteState(StateFolder(match.Id));
        return match;
    }

    public static DreamException NotFound(string idOrName) =>
        new("SignalNotFound", DreamErrorKind.NotFound, $"No signal '{idOrName}' in this home. Get-Signal lists them.");
}
