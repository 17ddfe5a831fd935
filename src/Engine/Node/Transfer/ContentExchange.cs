using System.Diagnostics;
using System.Text.Json;
using Dreamwell.Content;

namespace Dreamwell.Node;

/// <summary>
/// QuantumCloud between nodes: a peer observes a published name (→ manifest: size, content hash, chunk list),
/// wants the chunks it lacks, and verifies each against its BLAKE3 hash and the whole against the manifest before
/// anything is written. Serves this node's store to peers that hold the Observe scope, and answers the LQTP
/// method "fetch" for Get-DreamContent.
/// </summary>
internal sealed class ContentExchange(TesseractNode node) : PeerService
{
    public const string Observe = "observe";
    public const string Manifest = "manifest";
    public const string Want = "want";
    public const string ContentError = "content-error";
    public const int MaxChunkBytes = 64 << 10;
    private static readonly TimeSpan ManifestTimeout = TimeSpan.FromSeconds(30);

    private readonly object _gate = new();
    private readonly Dictionary<(PeerLink, uint), ContentFetch> _fetches = new();
    private readonly Dictionary<PeerLink, LinkedList<Served>> _served = new();
    private readonly object _storeGate = new();
    private ContentStore? _store;
    private int _nextRequest;

    private sealed record Served(uint Request, string Name, Dictionary<string, int> Chunks);

    public override IReadOnlyCollection<string> MessageTypes => [Observe, Manifest, Want, ContentError];
    public override IReadOnlyCollection<byte> FrameKinds => [TransferWire.ContentChunk, TransferWire.ManifestEntries];
    public override IReadOnlyDictionary<string, ControlMethod> ControlMethods => new Dictionary<string, ControlMethod>
    {
        ["fetch"] = FetchMethodAsync,
    };

    public override ValueTask OnMessageAsync(PeerLink link, string type, JsonElement body, CancellationToken cancellationToken) => type switch
    {
        Observe => AnswerObserveAsync(link, body, cancellationToken),
        Want => AnswerWantAsync(link, body, cancellationToken),
        Manifest => Accept(() => AcceptManifest(link, body)),
        _ => Accept(() => AcceptError(link, body)),
    };

    public override ValueTask OnFrameAsync(PeerLink link, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken) =>
        Accept(() =>
        {
            if (frame.Span[0] == TransferWire.ManifestEntries) AcceptManifestEntries(link, frame.Span);
            else AcceptChunk(link, frame.Span);
        });

    public override void LinkDown(PeerLink link, string reason)
    {
        List<ContentFetch> ended;
        lock (_gate)
        {
            _served.Remove(link);
            ended = _fetches.Where(f => f.Key.Item1 == link).Select(f => f.Value).ToList();
        }
        foreach (var fetch in ended)
            fetch.Fail(new DreamException(TransferErrors.TransferInterrupted, DreamErrorKind.ResourceUnavailable,
                $"The link to {link.Label} closed during the fetch of '{fetch.Name}': {reason}"));
    }

    public override void Stopped()
    {
        lock (_storeGate)
        {
            _store?.Dispose();
            _store = null;
        }
    }

    private static ValueTask Accept(Action action)
    {
        action();
        return default;
    }

    // ---- owner side -------------------------------------------------------------------------------------------

    private async ValueTask AnswerObserveAsync(PeerLink link, JsonElement body, CancellationToken cancellationToken)
    {
        var request = Request(body);
        var name = FqtpMessages.Text(body, "name", ContentName.MaxLength * 4);
        if (Refusal(link, "Observe") is { } refused)
        {
            await SendErrorAsync(link, request, refused.ErrorId, refused.Message, cancellationToken).ConfigureAwait(false);
            return;
        }
        (ContentItem Item, IReadOnlyList<(string Hash, int Size)> Chunks) manifest;
        try
        {
            lock (_storeGate) manifest = Store().ManifestOf(name);
        }
        catch (DreamException e) when (e.ErrorId == "ContentNotFound" && OtherSources().Select(s => s.Manifest(name)).FirstOrDefault(m => m is not null) is { } other)
        {
            manifest = other;
        }
        catch (DreamException e)
        {
            var message = e.ErrorId == "ContentNotFound" ? $"'{name}' is not published on {node.Name} ({node.QuantumId})." : e.Message;
            await SendErrorAsync(link, request, e.ErrorId, message, cancellationToken).ConfigureAwait(false);
            return;
        }
        var (item, chunks) = manifest;
        lock (_gate)
        {
            if (!_served.TryGetValue(link, out var list)) _served[link] = list = new LinkedList<Served>();
            foreach (var old in list.Where(s => s.Request == request).ToList()) list.Remove(old);
            var set = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (hash, size) in chunks) set[hash] = size;
            list.AddLast(new Served(request, item.Name, set));
            // Oldest observes are forgotten rather than refused: a want for one of them gets ObserveExpired.
            while (list.Count > TransferWire.MaxOpenObserves) list.RemoveFirst();
        }
        await link.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new
        {
            type = Manifest, request, name = item.Name, size = item.Size, contentHash = item.ContentHash, chunks = chunks.Count,
        }), cancellationToken).ConfigureAwait(false);
        for (var first = 0; first < chunks.Count; first += TransferWire.ManifestEntriesPerFrame)
        {
            var count = Math.Min(TransferWire.ManifestEntriesPerFrame, chunks.Count - first);
            await link.SendAsync(TransferWire.EncodeManifestEntries(request, first, chunks, count), cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask AnswerWantAsync(PeerLink link, JsonElement body, CancellationToken cancellationToken)
    {
        var request = Request(body);
        if (!body.TryGetProperty("chunks", out var list) || list.ValueKind != JsonValueKind.Array)
            throw FqtpMessages.Violation("'chunks' of a want must be an array of hashes.");
        if (list.GetArrayLength() is 0 or > TransferWire.MaxWantPerMessage)
            throw FqtpMessages.Violation($"A want names 1 to {TransferWire.MaxWantPerMessage} chunks, not {list.GetArrayLength()}.");
        if (Refusal(link, "Observe") is { } refused)
        {
            await SendErrorAsync(link, request, refused.ErrorId, refused.Message, cancellationToken).ConfigureAwait(false);
            return;
        }
        Served? served;
        lock (_gate) served = _served.GetValueOrDefault(link)?.LastOrDefault(s => s.Request == request);
        if (served is null)
        {
            await SendErrorAsync(link, request, "ObserveExpired", $"Request {request} is not an open observe on this link; observe the name again.", cancellationToken).ConfigureAwait(false);
            return;
        }
        var wanted = new List<(string Hash, int Size)>();
        foreach (var element in list.EnumerateArray())
        {
            var hash = element.ValueKind == JsonValueKind.String ? element.GetString()!.ToLowerInvariant() : "";
            if (!served.Chunks.TryGetValue(hash, out var size))
                throw FqtpMessages.Violation($"A want names '{(hash.Length > 64 ? hash[..64] : hash)}', which is not a chunk of '{served.Name}'.");
            wanted.Add((hash, size));
        }
        var hashBytes = new byte[32];
        foreach (var (hash, size) in wanted)
        {
            byte[] bytes;
            try
            {
                bytes = Store().ReadChunk(hash, size);
            }
            catch (DreamException) when (OtherSources().Select(s => s.ReadChunk(hash, size)).FirstOrDefault(b => b is not null) is { } other)
            {
                bytes = other;
            }
            catch (DreamException e)
            {
                await SendErrorAsync(link, request, e.ErrorId, $"{node.Name} cannot serve '{served.Name}': {e.Message}", cancellationToken).ConfigureAwait(false);
                return;
            }
            Convert.FromHexString(hash, hashBytes, out _, out _);
            const int pieceMax = TransferWire.MaxMessage - TransferWire.ContentChunkHeader;
            for (var offset = 0; offset < bytes.Length || offset == 0; offset += pieceMax)
            {
                var piece = bytes.AsSpan(offset, Math.Min(pieceMax, bytes.Length - offset));
                await link.SendAsync(TransferWire.EncodeContentChunk(request, hashBytes, offset, piece), cancellationToken).ConfigureAwait(false);
                if (bytes.Length == 0) break;
            }
        }
    }

    private static async Task SendErrorAsync(PeerLink link, uint request, string code, string message, CancellationToken cancellationToken) =>
        await link.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = ContentError, request, code, message }), cancellationToken).ConfigureAwait(false);

    /// <summary>The scope check as a refusal to report, not a reason to end the link.</summary>
    internal static DreamException? Refusal(PeerLink link, string scope)
    {
        try
        {
            link.RequireScope(scope);
            return null;
        }
        catch (DreamException e) when (e.ErrorId != TesseractErrors.ProtocolViolation)
        {
            return e;
        }
    }

    private IEnumerable<IContentSource> OtherSources() => node.Services.OfType<IContentSource>();

    private ContentStore Store()
    {
        lock (_storeGate) return _store ??= ContentStore.Open(node.Home);
    }

    // ---- requester side ---------------------------------------------------------------------------------------

    private ContentFetch FetchOf(PeerLink link, JsonElement body, string what)
    {
        var request = Request(body);
        lock (_gate)
            return _fetches.GetValueOrDefault((link, request)) ?? throw FqtpMessages.Violation($"An unrequested {what} (request {request}).");
    }

    private ContentFetch FetchOf(PeerLink link, uint request, string what)
    {
        lock (_gate)
            return _fetches.GetValueOrDefault((link, request)) ?? throw FqtpMessages.Violation($"An unrequested {what} (request {request}).");
    }

    private void AcceptManifest(PeerLink link, JsonElement body)
    {
        var fetch = FetchOf(link, body, "manifest");
        lock (fetch.Gate)
        {
            if (fetch.ExpectedChunks >= 0) throw FqtpMessages.Violation($"A second manifest for request {fetch.Request}.");
            var size = TransferWire.Number(body, "size", ContentLimits.MaxItemBytes);
            var count = TransferWire.Number(body, "chunks", long.MaxValue);
            if (count > TransferWire.MaxManifestChunks)
                throw Tampered(fetch, $"The manifest of '{fetch.Name}' lists {count} chunks; at most {TransferWire.MaxManifestChunks} are accepted.");
            if ((count > 0 && size / count > MaxChunkBytes) || size < count || (count == 0 && size != 0))
                throw Tampered(fetch, $"The manifest of '{fetch.Name}' cannot be right: {size} bytes in {count} chunks.");
            fetch.Size = size;
            fetch.ContentHash = TransferWire.HashText(body, "contentHash");
            fetch.ExpectedChunks = (int)count;
            if (count == 0) fetch.Manifest.TrySetResult();
        }
    }

    private void AcceptManifestEntries(PeerLink link, ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 9 || (frame.Length - 9) % TransferWire.ManifestEntrySize != 0) throw FqtpMessages.Violation($"A manifest frame of {frame.Length} bytes is malformed.");
        var fetch = FetchOf(link, TransferWire.U32(frame, 1), "manifest frame");
        lock (fetch.Gate)
        {
            var first = TransferWire.U32(frame, 5);
            var n = (frame.Length - 9) / TransferWire.ManifestEntrySize;
            if (fetch.ExpectedChunks < 0 || first != fetch.Chunks.Count || n == 0 || fetch.Chunks.Count + n > fetch.ExpectedChunks)
                throw Tampered(fetch, $"Manifest entries {first}..{first + n} of '{fetch.Name}' do not follow the manifest ({fetch.Chunks.Count} of {fetch.ExpectedChunks} so far).");
            for (var i = 0; i < n; i++)
            {
                var entry = frame.Slice(9 + i * TransferWire.ManifestEntrySize, TransferWire.ManifestEntrySize);
                var size = TransferWire.U32(entry, 32);
                if (size is 0 or > MaxChunkBytes) throw Tampered(fetch, $"The manifest of '{fetch.Name}' lists a chunk of {size} bytes.");
                fetch.Chunks.Add((Convert.ToHexStringLower(entry[..32]), (int)size));
            }
            if (fetch.Chunks.Count < fetch.ExpectedChunks) return;
            if (fetch.Chunks.Sum(c => (long)c.Size) != fetch.Size)
                throw Tampered(fetch, $"The chunks of '{fetch.Name}' add up to {fetch.Chunks.Sum(c => (long)c.Size)} bytes, the manifest says {fetch.Size}.");
            fetch.Manifest.TrySetResult();
        }
    }

    private void AcceptChunk(PeerLink link, ReadOnlySpan<byte> frame)
    {
        if (frame.Length < TransferWire.ContentChunkHeader) throw FqtpMessages.Violation($"A chunk frame of {frame.Length} bytes is malformed.");
        var fetch = FetchOf(link, TransferWire.U32(frame, 1), "chunk");
        var hash = Convert.ToHexStringLower(frame.Slice(5, 32));
        var offset = (int)Math.Min(TransferWire.U32(frame, 37), int.MaxValue);
        var piece = frame[TransferWire.ContentChunkHeader..];
        byte[]? complete = null;
        lock (fetch.Gate)
        {
            if (fetch.CurrentHash is null)
            {
                if (!fetch.Outstanding.TryGetValue(hash, out var size) || offset != 0)
                    throw Tampered(fetch, $"An unrequested chunk {hash[..16]}… (offset {offset}) for '{fetch.Name}'.");
                fetch.CurrentHash = hash;
                fetch.CurrentBuffer = new byte[size];
                fetch.CurrentFilled = 0;
            }
            else if (hash != fetch.CurrentHash || offset != fetch.CurrentFilled)
            {
                throw Tampered(fetch, $"Chunk {hash[..16]}… arrived out of order for '{fetch.Name}'.");
            }
            if (piece.Length > fetch.CurrentBuffer.Length - fetch.CurrentFilled)
                throw Tampered(fetch, $"Chunk {hash[..16]}… of '{fetch.Name}' is longer than the manifest says.");
            piece.CopyTo(fetch.CurrentBuffer.AsSpan(fetch.CurrentFilled));
            fetch.CurrentFilled += piece.Length;
            if (fetch.CurrentFilled < fetch.CurrentBuffer.Length) return;
            complete = fetch.CurrentBuffer;
            fetch.CurrentHash = null;
            fetch.CurrentBuffer = [];
            if (Blake3Hash.Hex(complete) != hash)
                throw Tampered(fetch, $"Chunk {hash[..16]}… of '{fetch.Name}' from {link.Label} does not hash to its name: tampered or damaged. Nothing was written.");
            fetch.Outstanding.Remove(hash);
            fetch.ChunksFetched++;
            fetch.BytesFetched += complete.Length;
        }
        fetch.Store.PutChunk(hash, complete);
        fetch.Slots.Release();
        lock (fetch.Gate)
            if (fetch.AllWanted && fetch.Outstanding.Count == 0) fetch.AllArrived.TrySetResult();
    }

    private void AcceptError(PeerLink link, JsonElement body)
    {
        var fetch = FetchOf(link, body, "error");
        var code = FqtpMessages.Text(body, "code", 64);
        var message = FqtpMessages.Text(body, "message", 1024);
        var kind = code switch
        {
            TransferErrors.ContentNotFound => DreamErrorKind.NotFound,
            "BadContentName" => DreamErrorKind.InvalidArgument,
            _ => DreamErrorKind.PermissionDenied,
        };
        if (code is "ChunkMissing" or "ChunkCorrupt" or "ObserveExpired") kind = DreamErrorKind.ResourceUnavailable;
        fetch.Fail(new DreamException(code.All(c => char.IsAsciiLetterOrDigit(c)) && code.Length > 0 ? code : "PeerRefused", kind, $"{link.Label}: {message}"));
    }

    /// <summary>Fails the fetch with ContentTampered and ends the link as a protocol violation (ShardBlade sees it).</summary>
    private static DreamException Tampered(ContentFetch fetch, string message)
    {
        fetch.Fail(new DreamException(TransferErrors.ContentTampered, DreamErrorKind.SecurityError, message));
        return FqtpMessages.Violation(message);
    }

    private static uint Request(JsonElement body) => (uint)TransferWire.Number(body, "request", uint.MaxValue);

    private async Task<object> FetchMethodAsync(JsonElement parameters, CancellationToken cancellationToken)
    {
        string Param(string name) => parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        var overwrite = parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("overwrite", out var o) && o.ValueKind == JsonValueKind.True;
        var destination = Param("destination");
        return await FetchAsync(Param("peer"), Param("name"), destination.Length > 0 ? destination : null, overwrite, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Observes <paramref name="name"/> on a connected peer, fetches the chunks this store lacks, verifies them and the
    /// whole content, then writes <paramref name="destination"/> (or returns the bytes, up to 1 MiB) and a receipt.
    /// </summary>
    public async Task<ContentFetchResult> FetchAsync(string peer, string name, string? destination, bool overwrite, CancellationToken cancellationToken)
    {
        ContentName.Validate(name);
        var link = node.FindLink(peer) ?? throw TransferErrors.NotConnected(peer);
        var clock = Stopwatch.StartNew();
        using var store = ContentStore.Open(node.Home);
        var request = (uint)Interlocked.Increment(ref _nextRequest);
        var fetch = new ContentFetch(link, request, name, store);
        lock (_gate)
        {
            if (_fetches.Keys.Count(k => k.Item1 == link) >= TransferWire.MaxOpenObserves)
                throw new DreamException(TransferErrors.TransferBusy, DreamErrorKind.LimitExceeded, $"{TransferWire.MaxOpenObserves} fetches from {link.Label} already run; wait for one to finish.");
            _fetches[(link, request)] = fetch;
        }
        try
        {
            await link.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = Observe, request, name }), cancellationToken).ConfigureAwait(false);
            await fetch.Manifest.Task.WaitAsync(ManifestTimeout, cancellationToken).ConfigureAwait(false);
            if (destination is null && fetch.Size > ContentLimits.MaxBytesAnswer)
                throw new DreamException("ContentTooLargeForBytes", DreamErrorKind.LimitExceeded,
                    $"'{name}' is {fetch.Size} bytes; content is returned as bytes only up to {ContentLimits.MaxBytesAnswer}. Give a destination file.");
            var missing = fetch.Chunks.Where(c => !store.HoldsChunk(c.Hash, c.Size)).DistinctBy(c => c.Hash).ToList();
            await WantAsync(fetch, missing, cancellationToken).ConfigureAwait(false);
            byte[]? content = null;
            int verifications;
            if (destination is not null)
            {
                verifications = store.Assemble(fetch.Chunks, fetch.Size, fetch.ContentHash, destination, overwrite, cancellationToken);
            }
            else
            {
                using var buffer = new MemoryStream();
                store.Assemble(fetch.Chunks, fetch.Size, fetch.ContentHash, buffer, cancellationToken);
                content = buffer.ToArray();
                verifications = fetch.Chunks.Count + 1;
            }
            var address = $"{DreamAddress.Scheme}{link.QuantumId}/{name}";
            var receipt = node.IssueReceipt(new ReceiptDraft("Content.Fetch", destination is null ? address : Path.GetFullPath(destination), fetch.ContentHash, fetch.ContentHash,
                fetch.Size, fetch.BytesFetched, IntegrityVerdict.Verified, verifications, clock.Elapsed));
            node.Raise("ContentFetched", link.QuantumId, link.Address, $"{name} from {link.Label}: {fetch.ChunksFetched} of {fetch.Chunks.Count} chunks fetched, {fetch.BytesFetched} bytes.");
            return new ContentFetchResult(address, link.Label, link.QuantumId, name, fetch.Size, fetch.ContentHash, fetch.Chunks.Count,
                fetch.ChunksFetched, fetch.BytesFetched, destination is null ? null : Path.GetFullPath(destination), content, receipt);
        }
        catch (TimeoutException)
        {
            throw new DreamException(TransferErrors.TransferInterrupted, DreamErrorKind.ResourceUnavailable, $"{link.Label} did not answer the observe of '{name}' within {ManifestTimeout.TotalSeconds:0} s.");
        }
        finally
        {
            lock (_gate) _fetches.Remove((link, request));
        }
    }

    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(30);

    private static async Task WantAsync(ContentFetch fetch, List<(string Hash, int Size)> missing, CancellationToken cancellationToken)
    {
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, fetch.Aborted.Token);
        try
        {
            for (var first = 0; first < missing.Count; first += TransferWire.MaxWantPerMessage)
            {
                var batch = missing.Skip(first).Take(TransferWire.MaxWantPerMessage).ToList();
                foreach (var _ in batch) await fetch.Slots.WaitAsync(aborted.Token).ConfigureAwait(false);
                lock (fetch.Gate)
                    foreach (var (hash, size) in batch) fetch.Outstanding[hash] = size;
                await fetch.Link.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = Want, request = fetch.Request, chunks = batch.Select(c => c.Hash) }), aborted.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (fetch.Aborted.IsCancellationRequested)
        {
            // The fetch failed while we waited for the window: AllArrived carries why.
        }
        lock (fetch.Gate)
        {
            fetch.AllWanted = true;
            if (fetch.Outstanding.Count == 0) fetch.AllArrived.TrySetResult();
        }
        long seen = -1;
        while (!fetch.AllArrived.Task.IsCompleted)
        {
            long now;
            lock (fetch.Gate) now = fetch.BytesFetched;
            if (now == seen)
                throw new DreamException(TransferErrors.TransferInterrupted, DreamErrorKind.ResourceUnavailable,
                    $"{fetch.Link.Label} sent nothing for '{fetch.Name}' in {StallTimeout.TotalSeconds:0} s.");
            seen = now;
            await Task.WhenAny(fetch.AllArrived.Task, Task.Delay(StallTimeout, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
        await fetch.AllArrived.Task.ConfigureAwait(false);
    }
}
