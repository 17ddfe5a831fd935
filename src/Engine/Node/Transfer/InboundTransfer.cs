using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Blake3;
using Microsoft.Win32.SafeHandles;

namespace Dreamwell.Node;

/// <summary>
/// The receiving side of one Send-DreamFile, kept under $DREAMWELL_HOME/inbox/.partial/&lt;transfer id&gt;: transfer.json
/// (who, what, how big), data (the file so far, written at chunk offsets) and chunks.log (one "index hash" line per
/// verified chunk, written after the chunk's data). The log is a hint: a resume re-verifies every logged chunk against
/// the data file and keeps only those that still hash right, so a crash can cost chunks but never corrupt the result.
/// The partial folder is working state; the finished file enters the inbox by one rename.
/// </summary>
internal sealed class InboundTransfer : IDisposable
{
    private const int CheckpointEvery = 64;
    private const int Buffers = 6;
    private readonly SafeFileHandle _data;
    private readonly FileStream _log;
    private readonly StringBuilder _pendingLog = new();
    private Hasher _whole = Hasher.New(); // not readonly: Hasher is a mutable struct
    private int _pendingCount;
    private int _wholeCursor;
    private byte[]? _buffer;
    private readonly Channel<Completed> _queue = Channel.CreateBounded<Completed>(new BoundedChannelOptions(Buffers - 2) { SingleReader = true, SingleWriter = true });
    private readonly Channel<byte[]> _free = Channel.CreateUnbounded<byte[]>();
    private int _allocated;
    private Task _writer = Task.CompletedTask;
    private Exception? _writeFailure;
    private long _bytesHeld;
    private int _currentIndex = -1;
    private byte[] _currentHash = [];
    private int _filled;
    private bool _closed;

    /// <summary>A verified chunk on its way to disk, or (Buffer null) a marker the writer completes when it gets there.</summary>
    private sealed record Completed(int Index, byte[] Hash, byte[]? Buffer, int Length, TaskCompletionSource? Drained = null);

    private sealed record Meta(string Transfer, string From, string Name, long Size, int ChunkSize, DateTimeOffset Started);

    private InboundTransfer(string id, PeerLink link, string name, long size, string folder, SafeFileHandle data, FileStream log)
    {
        Id = id;
        IdBytes = Convert.FromHexString(id);
        Link = link;
        Name = name;
        Size = size;
        ChunkCount = TransferWire.ChunkCount(size);
        Folder = folder;
        _data = data;
        _log = log;
    }

    public string Id { get; }
    public byte[] IdBytes { get; }
    public PeerLink Link { get; }
    public string Name { get; }
    public long Size { get; }
    public int ChunkCount { get; }
    public string Folder { get; }
    public object Gate { get; } = new();
    public Dictionary<int, byte[]> Held { get; } = new();
    public long BytesReceived { get; private set; }
    public long BytesHeld => Interlocked.Read(ref _bytesHeld);
    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

    /// <summary>Opens the partial state of a transfer, resuming (and re-verifying) what an earlier attempt left.</summary>
    public static InboundTransfer Open(DreamHome home, string id, PeerLink link, string name, long size)
    {
        var folder = Path.Combine(InboxName.PartialFolder(home), id);
        var metaPath = Path.Combine(folder, "transfer.json");
        var dataPath = Path.Combine(folder, "data");
        var logPath = Path.Combine(folder, "chunks.log");
        var resume = File.Exists(metaPath) && File.Exists(dataPath) && ReadMeta(metaPath) is { } meta
            && meta.From == link.QuantumId && meta.Name == name && meta.Size == size && meta.ChunkSize == TransferWire.FileChunkSize;
        if (!resume && Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        if (!resume)
            AtomicFile.Write(metaPath, s => JsonSerializer.Serialize(s, new Meta(id, link.QuantumId, name, size, TransferWire.FileChunkSize, DateTimeOffset.UtcNow), TesseractNode.Json),
                overwrite: true, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var data = File.OpenHandle(dataPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, FileOptions.None, preallocationSize: 0);
        FileStream? log = null;
        try
        {
            if (RandomAccess.GetLength(data) != size) RandomAccess.SetLength(data, size);
            var logged = resume && File.Exists(logPath) ? ReadLog(logPath, TransferWire.ChunkCount(size)) : new Dictionary<int, byte[]>();
            log = new FileStream(logPath, FileMode.Create, FileAccess.Write, FileShare.Read);
            var transfer = new InboundTransfer(id, link, name, size, folder, data, log);
            transfer.Reverify(logged);
            transfer._writer = Task.Run(transfer.WriteChunksAsync);
            return transfer;
        }
        catch
        {
            log?.Dispose();
            data.Dispose();
            throw;
        }
    }

    /// <summary>Keeps only logged chunks whose bytes on disk still hash right, and rewrites the log to say so.</summary>
    private void Reverify(Dictionary<int, byte[]> logged)
    {
        var buffer = new byte[TransferWire.FileChunkSize];
        foreach (var index in logged.Keys.Order())
        {
            var length = TransferWire.ChunkLength(Size, index);
            var chunk = buffer.AsSpan(0, length);
            if (RandomAccess.Read(_data, chunk, (long)index * TransferWire.FileChunkSize) != length) continue;
            if (!Blake3Hash.Compute(chunk).AsSpan().SequenceEqual(logged[index])) continue;
            Held[index] = logged[index];
            _bytesHeld += length;
            LogLine(index, logged[index]);
            if (index == _wholeCursor)
            {
                _whole.Update(chunk);
                _wholeCursor++;
            }
        }
        Checkpoint();
    }

    /// <summary>
    /// Takes one piece of a chunk (on the link's receive loop). A complete chunk is verified against its hash here, so a
    /// tampered chunk ends the link at once; writing it, logging it and hashing the whole file happen on a writer task,
    /// so the receive loop goes back to decrypting while the disk works. Throws a violation for anything out of line.
    /// </summary>
    public async ValueTask AcceptPieceAsync(int index, byte[] hash, int pieceOffset, ReadOnlyMemory<byte> piece, CancellationToken cancellationToken)
    {
        if (_closed) return;
        if (_writeFailure is { } failure) throw WriteFailed(failure);
        if (index < 0 || index >= ChunkCount) throw FqtpMessages.Violation($"Transfer {Id}: chunk {index} is outside the file's {ChunkCount} chunks.");
        var length = TransferWire.ChunkLength(Size, index);
        if (_currentIndex < 0)
        {
            if (pieceOffset != 0) throw FqtpMessages.Violation($"Transfer {Id}: chunk {index} starts at piece offset {pieceOffset}.");
            _buffer = _free.Reader.TryRead(out var free) ? free
                : _allocated < Buffers ? NewBuffer()
                : await _free.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            _currentIndex = index;
            _currentHash = hash;
            _filled = 0;
        }
        else if (index != _currentIndex || pieceOffset != _filled || !hash.AsSpan().SequenceEqual(_currentHash))
        {
            throw FqtpMessages.Violation($"Transfer {Id}: a piece of chunk {index} at {pieceOffset} arrived while chunk {_currentIndex} had {_filled} bytes.");
        }
        if (piece.Length > length - _filled) throw FqtpMessages.Violation($"Transfer {Id}: chunk {index} is longer than {length} bytes.");
        piece.Span.CopyTo(_buffer.AsSpan(_filled));
        _filled += piece.Length;
        BytesReceived += piece.Length;
        if (_filled < length) return;
        _currentIndex = -1;
        var buffer = _buffer!;
        _buffer = null;
        if (!Blake3Hash.Compute(buffer.AsSpan(0, length)).AsSpan().SequenceEqual(_currentHash))
        {
            _free.Writer.TryWrite(buffer);
            throw new DreamException(TransferErrors.ContentTampered, DreamErrorKind.SecurityError,
                $"Transfer {Id} ('{Name}'): chunk {index} does not match its BLAKE3 hash: tampered or damaged. It was not kept.");
        }
        try
        {
            await _queue.Writer.WriteAsync(new Completed(index, _currentHash, buffer, length), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // Closed under us (node stopping): the chunk arrives again on the resume.
        }
    }

    private byte[] NewBuffer()
    {
        _allocated++;
        return new byte[TransferWire.FileChunkSize];
    }

    private async Task WriteChunksAsync()
    {
        await foreach (var chunk in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (chunk.Buffer is null)
            {
                chunk.Drained!.TrySetResult();
                continue;
            }
            try
            {
                if (_writeFailure is null) Keep(chunk.Index, chunk.Hash, chunk.Buffer.AsSpan(0, chunk.Length));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _writeFailure = e;
            }
            finally
            {
                _free.Writer.TryWrite(chunk.Buffer);
            }
        }
    }

    private void Keep(int index, byte[] hash, ReadOnlySpan<byte> chunk)
    {
        RandomAccess.Write(_data, chunk, (long)index * TransferWire.FileChunkSize);
        lock (Gate) Held[index] = hash;
        Interlocked.Add(ref _bytesHeld, chunk.Length);
        LogLine(index, hash);
        if (index == _wholeCursor)
        {
            _whole.Update(chunk);
            _wholeCursor++;
            AdvanceWholeFromDisk();
        }
        if (_pendingCount >= CheckpointEvery) Checkpoint();
    }

    /// <summary>Waits until the writer has stored every chunk handed to it so far.</summary>
    private async Task DrainAsync()
    {
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Completed(-1, [], null, 0, drained)))
            await _queue.Writer.WriteAsync(new Completed(-1, [], null, 0, drained)).ConfigureAwait(false);
        await drained.Task.ConfigureAwait(false);
    }

    private DreamException WriteFailed(Exception failure) =>
        new(TransferErrors.TransferCorrupt, DreamErrorKind.ResourceUnavailable, $"Transfer {Id} ('{Name}') could not be written to '{Folder}': {failure.Message}", failure);

    private void AdvanceWholeFromDisk()
    {
        while (_wholeCursor < ChunkCount && Held.ContainsKey(_wholeCursor))
        {
            var length = TransferWire.ChunkLength(Size, _wholeCursor);
            var chunk = new byte[length];
            RandomAccess.Read(_data, chunk, (long)_wholeCursor * TransferWire.FileChunkSize);
            _whole.Update(chunk);
            _wholeCursor++;
        }
    }

    private void LogLine(int index, byte[] hash)
    {
        _pendingLog.Append(index.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Convert.ToHexStringLower(hash)).Append('\n');
        _pendingCount++;
    }

    /// <summary>
    /// Hands the log lines of written chunks to the OS. Neither file is fsynced here: the log is only a hint, because a
    /// resume re-verifies every logged chunk against the data file, and the finished file is fsynced once before it is
    /// filed. (An fsync per checkpoint cost more than the transfer itself on a virtual disk.)
    /// </summary>
    private void Checkpoint()
    {
        if (_pendingLog.Length > 0)
        {
            _log.Write(Encoding.ASCII.GetBytes(_pendingLog.ToString()));
            _log.Flush();
            _pendingLog.Clear();
        }
        _pendingCount = 0;
    }

    /// <summary>
    /// Checks that every chunk is held and the whole file hashes to <paramref name="contentHash"/>, then files it in the
    /// inbox (never overwriting) and removes the partial folder. Returns the inbox path, or throws TransferCorrupt.
    /// </summary>
    public async Task<string> FinishAsync(DreamHome home, string contentHash)
    {
        await DrainAsync().ConfigureAwait(false);
        if (_writeFailure is { } failure)
        {
            Discard();
            throw WriteFailed(failure);
        }
        if (Held.Count != ChunkCount)
            throw new DreamException(TransferErrors.TransferCorrupt, DreamErrorKind.InvalidData,
                $"Transfer {Id} ('{Name}') was declared sent with {ChunkCount - Held.Count} of {ChunkCount} chunks still missing.");
        AdvanceWholeFromDisk();
        var actual = new byte[Blake3Hash.Size];
        _whole.Finalize(actual);
        if (Blake3Hash.ToHex(actual) != contentHash)
        {
            Discard();
            throw new DreamException(TransferErrors.TransferCorrupt, DreamErrorKind.InvalidData,
                $"Transfer {Id} ('{Name}') hashes to {Blake3Hash.ToHex(actual)}, the sender says {contentHash}. Nothing was filed.");
        }
        RandomAccess.FlushToDisk(_data);
        Close();
        var stored = InboxName.MoveIn(home, Path.Combine(Folder, "data"), Name);
        Directory.Delete(Folder, recursive: true);
        return stored;
    }

    public void Discard()
    {
        Close();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Lets the writer finish what it holds, hands the log to the OS and lets go of the files; the partial state stays for a resume.</summary>
    public void Close()
    {
        lock (Gate)
        {
            if (_closed) return;
            _closed = true;
        }
        _queue.Writer.TryComplete();
        try { _writer.Wait(TimeSpan.FromSeconds(30)); }
        catch (AggregateException) { /* recorded in _writeFailure; the resume re-verifies the disk */ }
        try { Checkpoint(); }
        catch (IOException) { /* the resume re-verifies whatever the disk holds */ }
        _log.Dispose();
        _data.Dispose();
        _whole.Dispose();
    }

    public void Dispose() => Close();

    private static Meta? ReadMeta(string path)
    {
        try { return new FileInfo(path).Length > 16 * 1024 ? null : JsonSerializer.Deserialize<Meta>(File.ReadAllBytes(path), TesseractNode.Json); }
        catch (Exception e) when (e is JsonException or IOException) { return null; }
    }

    private static Dictionary<int, byte[]> ReadLog(string path, int chunkCount)
    {
        var held = new Dictionary<int, byte[]>();
        if (new FileInfo(path).Length > (long)chunkCount * 80 + 4096) return held;
        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split(' ');
            if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && index < chunkCount && parts[1].Length == 64 && parts[1].All(char.IsAsciiHexDigit))
                held[index] = Convert.FromHexString(parts[1]);
        }
        return held;
    }
}
