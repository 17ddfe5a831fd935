using System.Text.Json;

namespace Dreamwell.Sync;

/// <summary>What a signal has released or received: Publish-Signal's and Get-Signal's figures.</summary>
public sealed record SignalRelease(string Signal, string Name, string Role, long Release, string? ManifestHash, long Files, long Bytes, DateTimeOffset? Published, IReadOnlyList<string> LocalEdits);

/// <summary>
/// A signal's folder worker. A publisher turns every scan that changed something into a new release: a manifest of the
/// folder, signed (head) with the publisher's identity and kept in the state folder. A subscriber applies a verified
/// release (the publisher's version always wins; a local edit is kept as a conflict copy and reported, never sent) and
/// then keeps the head and manifest so it can serve them, still signed by the publisher, to other subscribers.
/// </summary>
internal sealed class SignalWorker : FolderWorker
{
    private const string HeadFile = "head.json";
    private const string ManifestFile = "manifest.bin";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Func<byte[], byte[]>? _sign;
    private long _localEditCount;

    public SignalWorker(SignalRecord record, string stateFolder, string deviceId, TimeSpan rescanInterval, Func<byte[], byte[]>? sign, Action<string>? onProblem)
        : base(record.Path, stateFolder, deviceId, rescanInterval, onProblem)
    {
        Record = record;
        _sign = sign;
        Head = ReadHead();
        Start();
    }

    public SignalRecord Record { get; }
    public bool IsPublisher => Record.Role == SignalRecord.Publisher;
    public ShareKey Key => Record.ParsedKey;

    /// <summary>The newest release this node holds (published or received and applied), or null.</summary>
    public SignalHead? Head { get; private set; }

    /// <summary>Raised on the worker thread when <see cref="Head"/> moved to a new release.</summary>
    public event Action<SignalHead>? Released;

    public byte[]? ManifestBytes(string hash)
    {
        if (Head is not { } head || head.ManifestHash != hash) return null;
        try { return File.ReadAllBytes(Path.Combine(StateFolder, ManifestFile)); }
        catch (IOException) { return null; }
    }

    /// <summary>Publishes now (after a scan) if anything changed since the last release; completes with the current release.</summary>
    public Task<SignalRelease> PublishNowAsync()
    {
        var done = new TaskCompletionSource<SignalRelease>(TaskCreationOptions.RunContinuationsAsynchronously);
        RequestScan();
        Post(_ => { done.TrySetResult(Describe()); return Task.CompletedTask; }, e => done.TrySetException(e));
        return done.Task;
    }

    public void ApplyRelease(SignalHead head, IChunkSource source, Action<string, string> violated) =>
        Post(token => ApplyReleaseAsync(head, source, token), e =>
        {
            if (e is DreamException { ErrorId: SyncErrors.UnsafePath or "SyncChunkMismatch" or "BadSignalManifest" or "SignalManifestMismatch" } d) violated(d.ErrorId, d.Message);
            else OnProblem?.Invoke($"Signal '{Record.Name}': {e.Message}");
        });

    public SignalRelease Describe()
    {
        var totals = Totals();
        var edits = IsPublisher ? [] : Page(0, int.MaxValue).Where(s => s.Version[DeviceId] > 0 && !s.Deleted).Select(s => s.Path).Take(100).ToList();
        return new SignalRelease(Record.Id, Record.Name, Record.Role, Head?.Release ?? 0, Head?.ManifestHash, totals.Files, totals.Bytes, LastScan, edits);
    }

    protected override void Scanned(ScanResult result)
    {
        if (IsPublisher)
        {
            if (result.Changed + result.Deleted > 0 || Head is null) Publish();
            return;
        }
        var edits = Page(0, int.MaxValue).LongCount(s => s.Version[DeviceId] > 0);
        if (edits != Interlocked.Exchange(ref _localEditCount, edits) && edits > 0)
            OnProblem?.Invoke($"Signal '{Record.Name}': {edits} local change(s) in '{Folder}' are kept here and never sent to the publisher; the next release replaces them (the local copy is kept as a conflict copy).");
    }

    private void Publish()
    {
        var files = Index.All().ToList();
        var release = (Head?.Release ?? 0) + 1;
        var manifest = new SignalManifest(Key.ShareId, Key.OwnerPublicKey, release, DateTimeOffset.UtcNow, Record.Name, files).Encode();
        var hash = Blake3Hash.Compute(manifest);
        var signature = _sign!(SignalManifest.HeadBytes(Key.ShareId, release, hash, manifest.Length));
        Keep(new SignalHead(Record.Id, release, Convert.ToHexStringLower(hash), manifest.Length, signature), manifest);
    }

    private async Task ApplyReleaseAsync(SignalHead head, IChunkSource source, CancellationToken cancellationToken)
    {
        if (Head is { } current && head.Release <= current.Release) return;
        if (head.ManifestSize is <= 0 or > SignalManifest.MaxBytes)
            throw new DreamException("BadSignalManifest", DreamErrorKind.InvalidData, $"Release {head.Release} claims a manifest of {head.ManifestSize} bytes.");
        var bytes = await source.FetchAsync(head.ManifestHash, (int)head.ManifestSize, cancellationToken).ConfigureAwait(false);
        if (Blake3Hash.Hex(bytes) != head.ManifestHash)
            throw new DreamException("SignalManifestMismatch", DreamErrorKind.SecurityError, $"The manifest of release {head.Release} does not match its signed hash; refused.");
        var manifest = SignalManifest.Decode(bytes);
        if (!manifest.SignalId.AsSpan().SequenceEqual(Key.ShareId) || !manifest.PublisherKey.AsSpan().SequenceEqual(Key.OwnerPublicKey) || manifest.Release != head.Release)
            throw new DreamException("SignalManifestMismatch", DreamErrorKind.SecurityError, "The manifest names another signal, publisher or release than its signed head; refused.");
        var publisher = Key.OwnerQuantumId;
        var listed = manifest.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var gone = Index.All().Where(s => s.Version[publisher] > 0 && !listed.Contains(s.Path))
            .Select(s => s with { Deleted = true, Size = 0, Chunks = [], Version = VersionVector.Parse($"{publisher}:{manifest.Release}") });
        var applier = new SyncApplier(Folder, Index, DeviceId, IgnorePatterns.None, ChunkCache) { TheirsAlwaysWin = true };
        var result = await applier.ApplyAsync([.. manifest.Files, .. gone], source, cancellationToken).ConfigureAwait(false);
        Counters.Add(result);
        if (result.Deferred.Count > 0)
        {
            OnProblem?.Invoke($"Signal '{Record.Name}': {result.Deferred.Count} file(s) were being edited here; release {head.Release} is applied after the next scan.");
            RequestScan();
            ApplyRelease(head, source, (_, _) => { });
            return;
        }
        Keep(head, bytes);
    }

    private void Keep(SignalHead head, byte[] manifest)
    {
        AtomicFile.WriteAllBytes(Path.Combine(StateFolder, ManifestFile), manifest);
        AtomicFile.Write(Path.Combine(StateFolder, HeadFile), s => JsonSerializer.Serialize(s, head, Json));
        Head = head;
        Released?.Invoke(head);
    }

    private SignalHead? ReadHead()
    {
        var path = Path.Combine(StateFolder, HeadFile);
        try
        {
            if (!File.Exists(path) || new FileInfo(path).Length > 4096) return null;
            var head = JsonSerializer.Deserialize<SignalHead>(File.ReadAllBytes(path), Json);
            return head is not null && head.Verify(Key.OwnerPublicKey) ? head : null;
        }
        catch (Exception e) when (e is JsonException or IOException or FormatException) { return null; }
    }
}
