using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Blake3;

namespace Dreamwell.Node;

/// <summary>
/// Send-DreamFile between nodes: offer → have (what a receiver kept from an earlier attempt) → chunk frames of
/// fixed 1 MiB chunks, each with its BLAKE3 hash, verified as they arrive → sent (whole-content hash) → received
/// (the receiver's receipt) or refuse. Files are accepted from friends only unless
/// <see cref="TesseractOptions.AcceptFilesFromAnyone"/>, and land in $DREAMWELL_HOME/inbox without overwriting.
/// LQTP methods: "send" (Send-DreamFile) and "transfers" (progress).
/// </summary>
internal sealed class FileTransfer(TesseractNode node) : PeerService
{
    public const string Offer = "offer";
    public const string Have = "have";
    public const string Refuse = "refuse";
    public const string Sent = "sent";
    public const string Received = "received";
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(120);

    private readonly object _gate = new();
    private readonly Dictionary<string, InboundTransfer> _inbound = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OutboundTransfer> _outbound = new(StringComparer.Ordinal);

    public override IReadOnlyCollection<string> MessageTypes => [Offer, Have, Refuse, Sent, Received];
    public override IReadOnlyCollection<byte> FrameKinds => [TransferWire.FileChunk, TransferWire.FileChunkEnd, TransferWire.HaveEntries];
    public override IReadOnlyDictionary<string, ControlMethod> ControlMethods => new Dictionary<string, ControlMethod>
    {
        ["send"] = SendMethodAsync,
        ["transfers"] = (_, _) => Task.FromResult<object>(Progress()),
    };

    public override ValueTask OnMessageAsync(PeerLink link, string type, JsonElement body, CancellationToken cancellationToken) => type switch
    {
        Offer => new(AnswerOfferAsync(link, body, cancellationToken)),
        Sent => new(AnswerSentAsync(link, body, cancellationToken)),
        Have => Done(() => AcceptHave(link, body)),
        Received => Done(() => AcceptReceived(link, body)),
        _ => Done(() => AcceptRefusal(link, body)),
    };

    public override ValueTask OnFrameAsync(PeerLink link, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken) =>
        frame.Span[0] == TransferWire.HaveEntries ? Done(() => AcceptHaveEntries(link, frame.Span)) : new(AcceptChunkAsync(link, frame, cancellationToken));

    public override void LinkDown(PeerLink link, string reason)
    {
        List<InboundTransfer> inbound;
        List<OutboundTransfer> outbound;
        lock (_gate)
        {
            inbound = _inbound.Values.Where(t => t.Link == link).ToList();
            foreach (var t in inbound) _inbound.Remove(t.Id);
            outbound = _outbound.Values.Where(t => t.Link == link).ToList();
        }
        foreach (var transfer in inbound) transfer.Close();
        foreach (var transfer in outbound)
            transfer.Fail(Interrupted(transfer, $"the link to {link.Label} closed: {reason}"));
    }

    public override void Stopped()
    {
        lock (_gate)
        {
            foreach (var transfer in _inbound.Values) transfer.Close();
            _inbound.Clear();
        }
    }

    private static ValueTask Done(Action action)
    {
        action();
        return default;
    }

    private IReadOnlyList<TransferProgress> Progress()
    {
        lock (_gate)
            return _outbound.Values.Select(t => new TransferProgress(t.Id, "Send", t.Link.Label, t.Name, t.Size, Interlocked.Read(ref t.BytesDone), Interlocked.Read(ref t.BytesSent)))
                .Concat(_inbound.Values.Select(t => new TransferProgress(t.Id, "Receive", t.Link.Label, t.Name, t.Size, t.BytesHeld, t.BytesReceived)))
                .ToList();
    }

    // ---- receiver -------------------------------------------------------------------------------------------

    private async Task AnswerOfferAsync(PeerLink link, JsonElement body, CancellationToken cancellationToken)
    {
        var id = TransferWire.TransferIdText(body);
        var name = FqtpMessages.Text(body, "name", InboxName.MaxBytes * 4);
        var size = TransferWire.Number(body, "size", long.MaxValue);
        var chunkSize = TransferWire.Number(body, "chunkSize", int.MaxValue);
        var refusal = ContentExchange.Refusal(link, "Send");
        if (refusal is not null)
        {
            await RefuseAsync(link, id, refusal.ErrorId, refusal.Message, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (!node.Options.AcceptFilesFromAnyone && !node.Friends.IsFriend(link.QuantumId))
        {
            node.Raise("TransferRefused", link.QuantumId, link.Address, $"{link.Label} offered '{Shorten(name)}' but is not a friend.");
            await RefuseAsync(link, id, TransferErrors.TransferRefused,
                $"{node.Name} accepts files only from friends, and {link.Label} ({link.QuantumId}) is not one (the owner can run Add-DreamFriend).", cancellationToken).ConfigureAwait(false);
            return;
        }
        if (InboxName.Problem(name) is { } problem)
        {
            node.Raise("TransferRefused", link.QuantumId, link.Address, $"{link.Label} offered a file named '{Shorten(name)}': {problem}.");
            await RefuseAsync(link, id, TransferErrors.TransferNameRefused, $"'{Shorten(name)}' cannot be filed in the inbox: {problem}.", cancellationToken).ConfigureAwait(false);
            return;
        }
        if (size > TransferWire.MaxFileBytes || chunkSize != TransferWire.FileChunkSize)
        {
            await RefuseAsync(link, id, "TransferTooLarge",
                $"{node.Name} accepts files up to {TransferWire.MaxFileBytes} bytes in {TransferWire.FileChunkSize}-byte chunks, not {size} bytes in {chunkSize}-byte chunks.", cancellationToken).ConfigureAwait(false);
            return;
        }
        InboundTransfer? takenOver;
        lock (_gate)
        {
            _inbound.TryGetValue(id, out takenOver);
            if (takenOver is not null && takenOver.Link.IsOpen && takenOver.Link != link) takenOver = null;
            var busy = takenOver is null && _inbound.ContainsKey(id);
            if (busy || (takenOver is null && (_inbound.Count >= TransferWire.MaxTransfersPerNode || _inbound.Values.Count(t => t.Link == link) >= TransferWire.MaxTransfersPerLink)))
            {
                takenOver = null;
                _ = RefuseAsync(link, id, TransferErrors.TransferBusy, $"{node.Name} is already receiving this file or too many files; try again when those finish.", cancellationToken);
                return;
            }
            if (takenOver is not null) _inbound.Remove(id);
        }
        // The old link has ended (it is no longer open); its partial state is what we resume from.
        takenOver?.Close();
        InboundTransfer transfer;
        try
        {
            InboundTransfer.ExpireStale(node.Home, running => { lock (_gate) return running == id || _inbound.ContainsKey(running); });
            transfer = InboundTransfer.Open(node.Home, id, link, name, size);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await RefuseAsync(link, id, TransferErrors.InboxUnavailable, $"{node.Name} cannot write its inbox: {e.Message}", cancellationToken).ConfigureAwait(false);
            return;
        }
        lock (_gate) _inbound[id] = transfer;
        var held = transfer.Held.Select(h => (h.Key, h.Value)).OrderBy(h => h.Key).ToList();
        for (var first = 0; first < held.Count; first += TransferWire.HaveEntriesPerFrame)
            await link.SendAsync(TransferWire.EncodeHaveEntries(transfer.IdBytes, held, first, Math.Min(TransferWire.HaveEntriesPerFrame, held.Count - first)), cancellationToken).ConfigureAwait(false);
        await link.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = Have, transfer = id, chunks = held.Count }), cancellationToken).ConfigureAwait(false);
        node.Raise("TransferOffered", link.QuantumId, link.Address, $"{link.Label} sends '{name}' ({size} bytes); {held.Count} of {transfer.ChunkCount} chunks already here.");
    }

    private async Task AcceptChunkAsync(PeerLink link, ReadOnlyMemory<byte> memory, CancellationToken cancellationToken)
    {
        var end = memory.Span[0] == TransferWire.FileChunkEnd;
        if (end ? memory.Length != TransferWire.FileChunkEndSize : memory.Length <= TransferWire.FileChunkHeader)
            throw FqtpMessages.Violation($"A file chunk frame (0x{memory.Span[0]:x2}) of {memory.Length} bytes is malformed.");
        var id = Convert.ToHexStringLower(memory.Span.Slice(1, TransferWire.TransferIdBytes));
        InboundTransfer? transfer;
        lock (_gate) transfer = _inbound.GetValueOrDefault(id);
        if (transfer is null) throw FqtpMessages.Violation($"A chunk of transfer {id}, which was not offered on this link.");
        if (transfer.Link != link) return; // a link that lost the transfer to a newer one is draining
        try
        {
            var index = (int)Math.Min(TransferWire.U32(memory.Span, 17), int.MaxValue);
            if (end) transfer.AcceptChunkEnd(index, memory.Span.Slice(21, 32));
            else await transfer.AcceptPieceAsync(index, (int)Math.Min(TransferWire.U32(memory.Span, 21), int.MaxValue), memory[TransferWire.FileChunkHeader..], cancellationToken).ConfigureAwait(false);
        }
        catch (DreamException e) when (e.ErrorId == TransferErrors.ContentTampered)
        {
            await RefuseAsync(link, id, TransferErrors.ContentTampered, e.Message, cancellationToken).ConfigureAwait(false);
            throw FqtpMessages.Violation(e.Message);
        }
    }

    private async Task AnswerSentAsync(PeerLink link, JsonElement body, CancellationToken cancellationToken)
    {
        var id = TransferWire.TransferIdText(body);
        var contentHash = TransferWire.HashText(body, "contentHash");
        InboundTransfer? transfer;
        lock (_gate) transfer = _inbound.GetValueOrDefault(id);
        if (transfer is null || transfer.Link != link) throw FqtpMessages.Violation($"'sent' for transfer {id}, which is not running on this link.");
        string stored;
        try
        {
            stored = await transfer.FinishAsync(node.Home, contentHash).ConfigureAwait(false);
        }
        catch (DreamException e)
        {
            lock (_gate) _inbound.Remove(id);
            node.Raise("TransferFailed", link.QuantumId, link.Address, e.Message);
            await RefuseAsync(link, id, e.ErrorId, e.Message, cancellationToken).ConfigureAwait(false);
            return;
        }
        lock (_gate) _inbound.Remove(id);
        var receipt = node.IssueReceipt(new ReceiptDraft("Transfer.Receive", stored, contentHash, contentHash, transfer.Size, transfer.BytesReceived,
            IntegrityVerdict.Verified, transfer.ChunkCount + 1, DateTimeOffset.UtcNow - transfer.Started));
        node.Raise("FileReceived", link.QuantumId, link.Address, $"'{transfer.Name}' from {link.Label} filed as '{stored}' ({transfer.Size} bytes, {contentHash[..16]}…).");
        await link.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new
        {
            type = Received, transfer = id, name = Path.GetFileName(stored), contentHash, size = transfer.Size,
            chainIndex = receipt.ChainIndex, entryHash = receipt.EntryHash, signature = receipt.Signature,
        }), cancellationToken).ConfigureAwait(false);
    }

    private static async Task RefuseAsync(PeerLink link, string id, string code, string message, CancellationToken cancellationToken) =>
        await link.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = Refuse, transfer = id, code, message = Shorten(message, 900) }), cancellationToken).ConfigureAwait(false);

    // ---- sender ---------------------------------------------------------------------------------------------

    private OutboundTransfer OutboundOf(PeerLink link, string id, string what)
    {
        lock (_gate)
        {
            var transfer = _outbound.GetValueOrDefault(id);
            return transfer is not null && transfer.Link == link ? transfer : throw FqtpMessages.Violation($"An unrequested {what} for transfer {id}.");
        }
    }

    private void AcceptHaveEntries(PeerLink link, ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 17 || (frame.Length - 17) % TransferWire.HaveEntrySize != 0) throw FqtpMessages.Violation($"A have frame of {frame.Length} bytes is malformed.");
        var transfer = OutboundOf(link, Convert.ToHexStringLower(frame.Slice(1, 16)), "have frame");
        lock (transfer.Gate)
        {
            if (transfer.HaveComplete.Task.IsCompleted) throw FqtpMessages.Violation($"A have frame for transfer {transfer.Id} after its have.");
            for (var at = 17; at < frame.Length; at += TransferWire.HaveEntrySize)
            {
                var index = TransferWire.U32(frame, at);
                if (index >= transfer.ChunkCount) throw FqtpMessages.Violation($"Transfer {transfer.Id}: the receiver claims chunk {index} of {transfer.ChunkCount}.");
                transfer.Have[(int)index] = frame.Slice(at + 4, 32).ToArray();
            }
        }
    }

    private void AcceptHave(PeerLink link, JsonElement body)
    {
        var transfer = OutboundOf(link, TransferWire.TransferIdText(body), "have");
        var count = TransferWire.Number(body, "chunks", int.MaxValue);
        lock (transfer.Gate)
        {
            if (count != transfer.Have.Count) throw FqtpMessages.Violation($"Transfer {transfer.Id}: the have says {count} chunks, its frames listed {transfer.Have.Count}.");
            transfer.HaveComplete.TrySetResult();
        }
    }

    private void AcceptReceived(PeerLink link, JsonElement body)
    {
        var transfer = OutboundOf(link, TransferWire.TransferIdText(body), "received");
        var storedAs = FqtpMessages.Text(body, "name", InboxName.MaxBytes * 4);
        var receipt = new PeerReceipt(link.QuantumId, TransferWire.Number(body, "chainIndex", long.MaxValue),
            TransferWire.HashText(body, "entryHash"), FqtpMessages.Text(body, "signature", 256), TransferWire.HashText(body, "contentHash"));
        transfer.Received.TrySetResult((receipt, storedAs));
    }

    private void AcceptRefusal(PeerLink link, JsonElement body)
    {
        var transfer = OutboundOf(link, TransferWire.TransferIdText(body), "refusal");
        var code = FqtpMessages.Text(body, "code", 64);
        var message = FqtpMessages.Text(body, "message", 4096);
        var kind = code switch
        {
            TransferErrors.TransferRefused or TransferErrors.TransferNameRefused => DreamErrorKind.PermissionDenied,
            TransferErrors.ContentTampered => DreamErrorKind.SecurityError,
            TransferErrors.TransferCorrupt => DreamErrorKind.InvalidData,
            _ => DreamErrorKind.ResourceUnavailable,
        };
        var id = code.Length > 0 && code.All(char.IsAsciiLetterOrDigit) ? code : TransferErrors.TransferRefused;
        transfer.Fail(new DreamException(id, kind, $"{link.Label} refused '{transfer.Name}': {message}"));
    }

    private async Task<object> SendMethodAsync(JsonElement parameters, CancellationToken cancellationToken)
    {
        string? Param(string name) => parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return await SendAsync(Param("path") ?? "", Param("target") ?? "", Param("name"), null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The transfer id: BLAKE3 of who sends what to whom, so sending the same file again resumes it.</summary>
    internal static string TransferId(string from, string to, string name, long size, DateTime modifiedUtc)
    {
        var text = string.Join('\n', "dreamwell-transfer-v1", from, to, name, size.ToString(CultureInfo.InvariantCulture), modifiedUtc.Ticks.ToString(CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(Blake3Hash.Compute(Encoding.UTF8.GetBytes(text)).AsSpan(0, TransferWire.TransferIdBytes));
    }

    /// <summary>
    /// Sends a file to a connected peer and returns once the peer has verified and filed it. Chunks the peer kept from an
    /// earlier attempt (and that still hash the same here) are not sent again. Progress reports bytes done of the file.
    /// </summary>
    public async Task<FileTransferResult> SendAsync(string path, string target, string? name, IProgress<DreamProgress>? progress, CancellationToken cancellationToken)
    {
        var link = node.FindLink(target) ?? throw TransferErrors.NotConnected(target);
        var info = new FileInfo(path);
        if (!info.Exists) throw new DreamException("FileNotFound", DreamErrorKind.NotFound, $"'{path}' does not exist.");
        if (info.Length > TransferWire.MaxFileBytes)
            throw new DreamException("TransferTooLarge", DreamErrorKind.LimitExceeded, $"'{path}' is {info.Length} bytes; at most {TransferWire.MaxFileBytes} can be sent.");
        name ??= info.Name;
        var size = info.Length;
        var id = TransferId(node.QuantumId, link.QuantumId, name, size, info.LastWriteTimeUtc);
        var transfer = new OutboundTransfer(id, link, name, size);
        lock (_gate)
        {
            if (_outbound.ContainsKey(id))
                throw new DreamException(TransferErrors.TransferBusy, DreamErrorKind.InvalidOperation, $"'{path}' is already being sent to {link.Label}.");
            _outbound[id] = transfer;
        }
        var clock = Stopwatch.StartNew();
        try
        {
            await link.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = Offer, transfer = id, name, size, chunkSize = TransferWire.FileChunkSize }), cancellationToken).ConfigureAwait(false);
            await transfer.HaveComplete.Task.WaitAsync(AnswerTimeout, cancellationToken).ConfigureAwait(false);
            var (contentHash, sentChunks) = await StreamChunksAsync(transfer, path, progress, cancellationToken).ConfigureAwait(false);
            await link.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = Sent, transfer = id, size, contentHash }), cancellationToken).ConfigureAwait(false);
            var (peerReceipt, storedAs) = await transfer.Received.Task.WaitAsync(AnswerTimeout, cancellationToken).ConfigureAwait(false);
            if (peerReceipt.ContentHash != contentHash)
                throw new DreamException(TransferErrors.TransferCorrupt, DreamErrorKind.InvalidData, $"{link.Label} filed content hashing {peerReceipt.ContentHash}, we sent {contentHash}.");
            var receipt = node.IssueReceipt(new ReceiptDraft("Transfer.Send", Path.GetFullPath(path), contentHash, contentHash, size, transfer.BytesSent,
                IntegrityVerdict.Verified, transfer.ChunkCount + 1, clock.Elapsed));
            node.Raise("FileSent", link.QuantumId, link.Address, $"'{name}' to {link.Label}: {transfer.BytesSent} of {size} bytes crossed, filed as '{storedAs}'.");
            return new FileTransferResult(id, name, link.Label, link.QuantumId, size, contentHash, transfer.ChunkCount, sentChunks,
                transfer.ChunkCount - sentChunks, transfer.BytesSent, storedAs, receipt, peerReceipt);
        }
        catch (TimeoutException)
        {
            throw Interrupted(transfer, $"{link.Label} did not answer within {AnswerTimeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException || e is DreamException d && d.ErrorId is Secure.SecureChannelErrors.ChannelClosed or Secure.SecureChannelErrors.TruncatedFrame
                                  || e is OperationCanceledException && transfer.Aborted.IsCancellationRequested)
        {
            // The link went down under us; LinkDown (or the refusal) recorded why.
            await Task.WhenAny(transfer.Received.Task, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
            if (transfer.Received.Task.Exception?.InnerException is DreamException why) throw why;
            throw Interrupted(transfer, e.Message);
        }
        finally
        {
            lock (_gate) _outbound.Remove(id);
        }
    }

    /// <summary>
    /// Streams the file chunk by chunk. A reader task reads each 1 MiB chunk whole, hashes it in one call (BLAKE3 is
    /// several times faster on a whole aligned chunk than on frame-sized pieces) and adds it to the whole-file hash,
    /// a few chunks ahead of this loop, which encrypts and sends every chunk the receiver does not already hold under
    /// the same hash: reading and hashing run on one core while encryption runs on another.
    /// </summary>
    private static async Task<(string ContentHash, int SentChunks)> StreamChunksAsync(OutboundTransfer transfer, string path, IProgress<DreamProgress>? progress, CancellationToken cancellationToken)
    {
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, transfer.Aborted.Token);
        var token = aborted.Token;
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        if (RandomAccess.GetLength(handle) != transfer.Size)
            throw new DreamException("FileChanged", DreamErrorKind.InvalidOperation, $"'{path}' changed size while being sent; send it again.");
        var id = Convert.FromHexString(transfer.Id);
        var frame = new byte[TransferWire.MaxMessage];
        var ready = Channel.CreateBounded<HashedChunk>(new BoundedChannelOptions(ChunksAhead) { SingleReader = true, SingleWriter = true });
        var free = Channel.CreateUnbounded<byte[]>();
        for (var i = 0; i <= ChunksAhead; i++) free.Writer.TryWrite(new byte[TransferWire.FileChunkSize]);
        using var whole = Hasher.New();
        var reading = Task.Run(() => ReadChunksAsync(transfer, handle, path, whole, ready.Writer, free.Reader, token), CancellationToken.None);
        var sent = 0;
        try
        {
            await foreach (var chunk in ready.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                byte[]? theirs;
                lock (transfer.Gate) theirs = transfer.Have.GetValueOrDefault(chunk.Index);
                if (theirs is null || !chunk.Hash.AsSpan().SequenceEqual(theirs))
                {
                    await SendChunkAsync(transfer, id, chunk.Index, chunk.Bytes, chunk.Length, frame, token).ConfigureAwait(false);
                    await transfer.Link.SendAsync(TransferWire.EncodeFileChunkEnd(id, chunk.Index, chunk.Hash), token).ConfigureAwait(false);
                    sent++;
                }
                free.Writer.TryWrite(chunk.Bytes);
                Interlocked.Add(ref transfer.BytesDone, chunk.Length);
                progress?.Report(new DreamProgress("Sending", transfer.Name, Interlocked.Read(ref transfer.BytesDone), transfer.Size));
            }
            await reading.ConfigureAwait(false);
        }
        catch
        {
            aborted.Cancel();
            try { await reading.ConfigureAwait(false); }
            catch (Exception e) when (e is OperationCanceledException or DreamException or IOException) { /* the send's own failure is the one to report */ }
            throw;
        }
        var hash = new byte[Blake3Hash.Size];
        whole.Finalize(hash);
        return (Blake3Hash.ToHex(hash), sent);
    }

    private const int ChunksAhead = 2;

    private sealed record HashedChunk(int Index, byte[] Bytes, int Length, byte[] Hash);

    /// <summary>The reader task: every chunk in order, read whole and hashed, into <paramref name="ready"/>.</summary>
    private static async Task ReadChunksAsync(OutboundTransfer transfer, Microsoft.Win32.SafeHandles.SafeFileHandle handle, string path, Hasher whole,
        ChannelWriter<HashedChunk> ready, ChannelReader<byte[]> free, CancellationToken token)
    {
        try
        {
            for (var index = 0; index < transfer.ChunkCount; index++)
            {
                var buffer = await free.ReadAsync(token).ConfigureAwait(false);
                var length = TransferWire.ChunkLength(transfer.Size, index);
                var hash = new byte[Blake3Hash.Size];
                ReadAndHashChunk(handle, path, buffer.AsSpan(0, length), (long)index * TransferWire.FileChunkSize, hash, whole);
                await ready.WriteAsync(new HashedChunk(index, buffer, length, hash), token).ConfigureAwait(false);
            }
        }
        finally
        {
            // A failure ends the stream early; the sending loop then awaits this task and gets the failure itself.
            ready.TryComplete();
        }
    }

    private static void ReadAndHashChunk(Microsoft.Win32.SafeHandles.SafeFileHandle handle, string path, Span<byte> bytes, long offset, byte[] chunkHash, Hasher whole)
    {
        if (FileRead.Fill(handle, bytes, offset) < bytes.Length)
            throw new DreamException("FileChanged", DreamErrorKind.InvalidOperation, $"'{path}' changed while being sent; send it again.");
        Hasher.Hash(bytes, chunkHash);
        whole.Update(bytes);
    }

    private static async Task SendChunkAsync(OutboundTransfer transfer, byte[] id, int index, byte[] chunk, int length, byte[] frame, CancellationToken token)
    {
        const int pieceMax = TransferWire.FilePieceSize;
        for (var offset = 0; offset < length; offset += pieceMax)
        {
            var piece = Math.Min(pieceMax, length - offset);
            chunk.AsSpan(offset, piece).CopyTo(frame.AsSpan(TransferWire.FileChunkHeader));
            TransferWire.WriteFileChunkHeader(frame, id, index, offset);
            // SendAsync encrypts into its own buffer before it returns, so the frame buffer is reused.
            await transfer.Link.SendAsync(frame.AsMemory(0, TransferWire.FileChunkHeader + piece), token).ConfigureAwait(false);
            Interlocked.Add(ref transfer.BytesSent, piece);
        }
    }

    private static DreamException Interrupted(OutboundTransfer transfer, string why) =>
        new(TransferErrors.TransferInterrupted, DreamErrorKind.ResourceUnavailable,
            $"Sending '{transfer.Name}' stopped after {Interlocked.Read(ref transfer.BytesDone)} of {transfer.Size} bytes: {why}. Reconnect and send it again to resume.");

    private static string Shorten(string text, int max = 120) => text.Length <= max ? text : text[..max] + "…";
}
