using System.Text;
using System.Text.Json;
using Dreamwell.Node;

namespace Dreamwell.Sync;

/// <summary>
/// Signals on a running node (docs/sync.md, "Signals"): a subscriber proves it holds the key (signal-subscribe); any node
/// that holds a release of the signal (the publisher, or a subscriber that applied it) answers with the publisher-signed
/// head and serves the manifest and chunks by hash (signal-want, 0x53 pieces). Subscribers verify the head's signature
/// against the publisher key in their key, the manifest against the head, and every chunk against the manifest, so a
/// subscriber relaying a release can change nothing. Subscribers follow every open link, so a release can arrive through
/// whichever peer has it first.
/// </summary>
internal sealed class SignalService : SharedFolderService<SignalWorker, SignalSession>, Content.IContentSource
{
    public const string Subscribe = "signal-subscribe";
    public const string HeadMessage = "signal-head";
    public const string Unknown = "signal-unknown";
    public const string Want = "signal-want";
    public const string NoChunk = "signal-nochunk";
    public const byte PieceFrame = 0x53;
    private const string SubscribeDomain = "dreamwell-signal-subscribe-v1";
    private static readonly TimeSpan DefaultRescan = TimeSpan.FromSeconds(30);

    private readonly SignalRegistry _registry;

    public SignalService(TesseractNode node) : base(node)
    {
        _registry = new SignalRegistry(node.Home);
        try { Reload(); }
        catch (DreamException e) { node.Raise("SignalProblem", null, null, e.Message); }
        Dialer = new OwnerDialer(node, () => Workers.Values.Where(w => !w.IsPublisher).Select(w => (w.Record.PublisherQuantumId, w.Key.Addresses)));
    }

    public override IReadOnlyCollection<string> MessageTypes => [Subscribe, HeadMessage, Unknown, Want, NoChunk];
    public override IReadOnlyCollection<byte> FrameKinds => [PieceFrame];

    public override IReadOnlyDictionary<string, ControlMethod> ControlMethods => new Dictionary<string, ControlMethod>
    {
        ["signal-reload"] = (_, _) => Task.FromResult<object>(Reload()),
        ["signal-publish"] = PublishAsync,
        ["signal-status"] = (_, _) => Task.FromResult<object>(Workers.Values.Select(w => w.Describe()).ToList()),
    };

    public override void LinkUp(PeerLink link)
    {
        foreach (var worker in Workers.Values.Where(w => !w.IsPublisher)) _ = SendSubscribeAsync(link, worker);
    }

    public override async ValueTask OnMessageAsync(PeerLink link, string type, JsonElement body, CancellationToken cancellationToken)
    {
        var id = FqtpMessages.Text(body, "signal", 32).ToLowerInvariant();
        switch (type)
        {
            case Subscribe:
                await OnSubscribeAsync(link, id, FqtpMessages.Text(body, "proof", 64), cancellationToken).ConfigureAwait(false);
                break;
            case HeadMessage:
                OnHead(link, id, body);
                break;
            case Unknown:
                break; // that peer does not carry the signal; nothing to do
            case Want:
                await OnWantAsync(link, id, body, cancellationToken).ConfigureAwait(false);
                break;
            case NoChunk:
                Session(link, id).Chunks.OnNone((int)Math.Min(FqtpMessages.Number(body, "id"), int.MaxValue));
                break;
        }
    }

    public override ValueTask OnFrameAsync(PeerLink link, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        var (signalId, requestId, offset, total, bytes) = PortalWire.DecodeChunk(frame);
        Session(link, Convert.ToHexStringLower(signalId)).Chunks.OnPiece(requestId, offset, total, bytes);
        return default;
    }

    /// <summary>BLAKE3 keyed with the signal secret over the domain, signal id and both QuantumIds.</summary>
    public static string SubscribeProof(ShareKey key, string subscriberQuantumId, string answererQuantumId)
    {
        using var hasher = Blake3.Hasher.NewKeyed(key.Secret);
        hasher.Update(Encoding.UTF8.GetBytes(SubscribeDomain));
        hasher.Update([0]);
        hasher.Update(key.ShareId);
        hasher.Update(Encoding.UTF8.GetBytes(subscriberQuantumId + answererQuantumId));
        return hasher.Finalize().ToString();
    }

    /// <summary>
    /// The files of the signals this node publishes, for Get-DreamContent from a peer: "&lt;signal name&gt;/&lt;path&gt;", and
    /// "signal/&lt;path&gt;" when the node publishes exactly one signal (a project's page: qttps:φ//&lt;peer&gt;/signal/index.html).
    /// </summary>
    public (Content.ContentItem Item, IReadOnlyList<(string Hash, int Size)> Chunks)? Manifest(string name)
    {
        var slash = name.IndexOf('/');
        if (slash <= 0) return null;
        var (first, path) = (name[..slash], name[(slash + 1)..]);
        var published = Workers.Values.Where(w => w.IsPublisher).ToList();
        var worker = published.FirstOrDefault(w => w.Record.Name.Equals(first, StringComparison.OrdinalIgnoreCase))
            ?? (first == "signal" && published.Count == 1 ? published[0] : null);
        if (worker is null || !SyncPath.IsValid(path, out _) || worker.Entry(path) is not { Deleted: false } entry) return null;
        try
        {
            var full = SyncPath.Resolve(worker.Folder, path);
            if (!File.Exists(full) || new FileInfo(full).Length != entry.Size) return null; // changing right now: the next scan indexes it
            var item = new Content.ContentItem(name, entry.Size, Convert.ToHexStringLower(Blake3Hash.ComputeFile(full)), entry.Chunks.Count, entry.Modified);
            return (item, entry.Chunks.Select(c => (c.Hash, c.Size)).ToList());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DreamException) { return null; }
    }

    public byte[]? ReadChunk(string hash, int size) =>
        Workers.Values.Where(w => w.IsPublisher).Select(w => w.ReadChunk(hash, size)).FirstOrDefault(bytes => bytes is not null);

    private async Task SendSubscribeAsync(PeerLink link, SignalWorker worker)
    {
        try
        {
            Session(link, worker.Record.Id, create: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await link.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new
            {
                type = Subscribe, signal = worker.Record.Id, proof = SubscribeProof(worker.Key, Node.QuantumId, link.QuantumId),
            }), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or DreamException or OperationCanceledException or ObjectDisposedException) { }
    }

    private async Task OnSubscribeAsync(PeerLink link, string id, string proof, CancellationToken cancellationToken)
    {
        if (!Workers.TryGetValue(id, out var worker))
        {
            await link.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = Unknown, signal = id }), cancellationToken).ConfigureAwait(false);
            return;
        }
        var expected = SubscribeProof(worker.Key, link.QuantumId, Node.QuantumId);
        if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(proof.ToLowerInvariant())))
        {
            var message = $"{link.Label} asked for signal {worker.Record.ShortId} without its key.";
            Node.Misbehaved(link.QuantumId, link.Address, "SignalKeyInvalid", message);
            throw new DreamException("SignalKeyInvalid", DreamErrorKind.SecurityError, message);
        }
        var session = Session(link, id, create: true);
        session.Follower = true;
        if (worker.Head is { } head) await session.SendHeadAsync(head, cancellationToken).ConfigureAwait(false);
    }

    private void OnHead(PeerLink link, string id, JsonElement body)
    {
        if (!Workers.TryGetValue(id, out var worker) || worker.IsPublisher)
            throw FqtpMessages.Violation("A signal head for a signal this node does not follow.");
        var head = new SignalHead(id, FqtpMessages.Number(body, "release"), FqtpMessages.Text(body, "manifest", 64).ToLowerInvariant(), FqtpMessages.Number(body, "size"), Signature(body));
        if (head.ManifestHash.Length != 64 || !head.ManifestHash.All(Uri.IsHexDigit) || !head.Verify(worker.Key.OwnerPublicKey))
            throw FqtpMessages.Violation($"SignalHeadForged: release {head.Release} of signal {worker.Record.ShortId} is not signed by its publisher {worker.Key.OwnerQuantumId}.");
        var session = Session(link, id, create: true);
        worker.ApplyRelease(head, session.Chunks, (errorId, message) =>
        {
            Node.Misbehaved(link.QuantumId, link.Address, errorId, message);
            _ = link.DisconnectAsync($"{errorId}: {message}");
        });
    }

    private async Task OnWantAsync(PeerLink link, string id, JsonElement body, CancellationToken cancellationToken)
    {
        var session = Session(link, id);
        if (!session.Follower || !Workers.TryGetValue(id, out var worker)) throw FqtpMessages.Violation("A signal-want before a valid signal-subscribe.");
        var hash = FqtpMessages.Text(body, "hash", 64).ToLowerInvariant();
        var size = FqtpMessages.Number(body, "size");
        var request = (int)Math.Min(FqtpMessages.Number(body, "id"), int.MaxValue);
        if (hash.Length != 64 || size is <= 0 or > SignalManifest.MaxBytes) throw FqtpMessages.Violation("A signal-want with a bad hash or size.");
        await session.Answers.QueueAsync(async token =>
        {
            var bytes = worker.ManifestBytes(hash) ?? (size <= 1 << 20 ? worker.ReadChunk(hash, (int)size) : null);
            if (bytes is null || bytes.Length != size)
                await link.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = NoChunk, signal = id, id = request }), token).ConfigureAwait(false);
            else
                foreach (var frame in PortalWire.EncodeChunk(Convert.FromHexString(id), request, bytes, PieceFrame))
                    await link.SendAsync(frame, token).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    private SignalSession Session(PeerLink link, string id, bool create = false)
    {
        if (create) return LinkSessions.GetOrAdd((link, id), key => new SignalSession(key.Link, key.Share));
        return LinkSessions.TryGetValue((link, id), out var session) ? session : throw FqtpMessages.Violation("A signal message on a link that has not subscribed.");
    }

    private List<string> Reload()
    {
        lock (ReloadGate)
        {
            var records = _registry.All();
            ForgetAllBut(records.Select(r => r.Id));
            foreach (var record in records.Where(r => !Workers.ContainsKey(r.Id)))
            {
                var worker = new SignalWorker(record, _registry.StateFolder(record.Id), Node.QuantumId, DefaultRescan,
                    record.Role == SignalRecord.Publisher ? Node.Sign : null, problem => Node.Raise("SignalProblem", null, null, problem));
                worker.Released += head => Announce(worker, head);
                Workers[record.Id] = worker;
                if (!worker.IsPublisher)
                {
                    foreach (var link in Node.OpenLinks()) _ = SendSubscribeAsync(link, worker);
                    Dialer?.DialNow();
                }
            }
            return [.. Workers.Keys];
        }
    }

    private void Announce(SignalWorker worker, SignalHead head)
    {
        Node.Raise("SignalRelease", null, null, $"Signal '{worker.Record.Name}' ({worker.Record.ShortId}) is at release {head.Release}.");
        foreach (var session in LinkSessions.Values.Where(s => s.Signal == worker.Record.Id && s.Follower).ToList())
            _ = Task.Run(async () =>
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await session.SendHeadAsync(head, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or DreamException or OperationCanceledException or ObjectDisposedException) { }
            });
    }

    private async Task<object> PublishAsync(JsonElement parameters, CancellationToken cancellationToken)
    {
        var name = parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("signal", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : "";
        var targets = Workers.Values.Where(w => w.IsPublisher && (name.Length == 0 || w.Record.Id == name
            || w.Record.ShortId.Equals(name, StringComparison.OrdinalIgnoreCase) || w.Record.Name.Equals(name, StringComparison.OrdinalIgnoreCase))).ToList();
        if (name.Length > 0 && targets.Count == 0) throw SignalRegistry.NotFound(name);
        var releases = new List<SignalRelease>();
        foreach (var worker in targets) releases.Add(await worker.PublishNowAsync().WaitAsync(TimeSpan.FromSeconds(120), cancellationToken).ConfigureAwait(false));
        return releases;
    }


    private static byte[] Signature(JsonElement body)
    {
        try
        {
            var bytes = Convert.FromBase64String(FqtpMessages.Text(body, "signature", 128));
            return bytes.Length == 64 ? bytes : throw FqtpMessages.Violation("'signature' must be 64 bytes.");
        }
        catch (FormatException) { throw FqtpMessages.Violation("'signature' is not base64."); }
    }
}

/// <summary>One signal over one link: chunk requests we have in flight to the peer, and whether the peer follows us.</summary>
internal sealed class SignalSession : ISharedFolderSession
{
    private readonly PeerLink _link;

    public SignalSession(PeerLink link, string signal)
    {
        _link = link;
        Signal = signal;
        Answers = new LinkAnswers(link);
        Chunks = new RemoteChunks(link.Label, (id, hash, size, token) =>
            link.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = SignalService.Want, signal, id, hash, size }), token));
    }

    public string Signal { get; }
    public RemoteChunks Chunks { get; }

    /// <summary>The peer's chunk and manifest requests, answered in order off the receive loop.</summary>
    public LinkAnswers Answers { get; }

    /// <summary>The peer proved it holds the key: it gets our releases and may fetch from us.</summary>
    public bool Follower { get; set; }

    public Task SendHeadAsync(SignalHead head, CancellationToken cancellationToken) =>
        _link.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new
        {
            type = SignalService.HeadMessage, signal = head.SignalId, release = head.Release, manifest = head.ManifestHash, size = head.ManifestSize,
            signature = Convert.ToBase64String(head.Signature),
        }), cancellationToken);

    public void Close()
    {
        Answers.Close();
        Chunks.Close();
    }
}
