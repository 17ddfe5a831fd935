using System.Globalization;
using System.Text;
using System.Text.Json;
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
    private readonly SafeFileHandle _data;
    private readonly FileStream _log;
    private readonly StringBuilder _pendingLog = new();
    private readonly Hasher _whole = Hasher.New();
    private int _pendingCount;
    private int _wholeCursor;
    private ChunkWriter? _writer;
    private AlignedBuffer? _chunk;
    private long _bytesHeld;
    private int _currentIndex = -1;
    private int _filled;
    private bool _closed;

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
            transfer._writer = new ChunkWriter(data, dataPath, transfer.Written);
            return transfer;
        }
        catch
        {
            log?.Dispose();
            data.Dispose();
            throw;
        }
    }

    /// <summary>How long an abandoned partial transfer is kept for a resume before a later offer removes it.</summary>
    public static readonly TimeSpan KeepPartial = TimeSpan.FromDays(7);

    /// <summary>Removes partial transfers nobody has touched for <see cref="KeepPartial"/> (except the running ones).</summary>
    public static void ExpireStale(DreamHome home, Func<string, bool> isRunning)
    {
        var root = InboxName.PartialFolder(home);
        if (!Directory.Exists(root)) return;
        var cutoff = DateTime.UtcNow - KeepPartial;
        foreach (var folder in Directory.EnumerateDirectories(root).Take(4096))
        {
            var id = Path.GetFileName(folder);
            var log = Path.Combine(folder, "chunks.log");
            var touched = File.Exists(log) ? File.GetLastWriteTimeUtc(log) : Directory.GetLastWriteTimeUtc(folder);
            if (touched >= cutoff || isRunning(id)) continue;
            try { Directory.Delete(folder, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* tried again at the next offer */ }
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
    /// Takes one piece of a chunk into the chunk buffer; the chunk is hashed whole when its end frame arrives (BLAKE3 is
    /// several times faster on a whole aligned chunk than on frame-sized pieces). Throws a violation for anything out of line.
    /// </summary>
    public async ValueTask AcceptPieceAsync(int index, int pieceOffset, ReadOnlyMemory<byte> piece, CancellationToken cancellationToken)
    {
        if (_closed) return;
        if (index < 0 || index >= ChunkCount) throw FqtpMessages.Violation($"Transfer {Id}: chunk {index} is outside the file's {ChunkCount} chunks.");
        var length = TransferWire.ChunkLength(Size, index);
        if (_currentIndex < 0)
        {
            if (pieceOffset != 0) throw FqtpMessages.Violation($"Transfer {Id}: chunk {index} starts at piece offset {pieceOffset}.");
            _chunk ??= await _writer!.RentAsync(cancellationToken).ConfigureAwait(false);
            _currentIndex = index;
            _filled = 0;
        }
        else if (index != _currentIndex || pieceOffset != _filled)
        {
            throw FqtpMessages.Violation($"Transfer {Id}: a piece of chunk {index} at {pieceOffset} arrived while chunk {_currentIndex} had {_filled} bytes.");
        }
        if (piece.Length == 0 || piece.Length > length - _filled) throw FqtpMessages.Violation($"Transfer {Id}: a piece of {piece.Length} bytes does not fit chunk {index} ({length} bytes, {_filled} so far).");
        piece.Span.CopyTo(_chunk!.Span[_filled..]);
        _filled += piece.Length;
        BytesReceived += piece.Length;
    }

    /// <summary>
    /// The end of a chunk: its bytes must hash to <paramref name="hash"/>; then it goes to
    /// the disk (which adds it to the whole-file hash), and counts as held (and logged) once it is written.
    /// </summary>
    public void AcceptChunkEnd(int index, ReadOnlySpan<byte> hash)
    {
        if (_closed) return;
        if (index != _currentIndex || _filled != TransferWire.ChunkLength(Size, index))
            throw FqtpMessages.Violation($"Transfer {Id}: the end of chunk {index} arrived after {_filled} bytes of chunk {_currentIndex}.");
        _currentIndex = -1;
        var chunk = _chunk!;
        _chunk = null;
        var bytes = chunk.Span[.._filled];
        Span<byte> actual = stackalloc byte[Blake3Hash.Size];
        Hasher.Hash(bytes, actual);
        if (!actual.SequenceEqual(hash))
        {
            _writer!.Return(chunk);
            throw new DreamException(TransferErrors.ContentTampered, DreamErrorKind.SecurityError,
                $"Transfer {Id} ('{Name}'): chunk {index} does not match its BLAKE3 hash: tampered or damaged. It was not kept.");
        }
        _writer!.Write(index, (long)index * TransferWire.FileChunkSize, chunk, _filled, hash.ToArray());
    }

    /// <summary>
    /// The writer's report that a chunk is in the file: from now on a resume can keep it. The whole-file hash advances
    /// here, on the writer task, so the receive loop only decrypts and checks chunk hashes.
    /// </summary>
    private void Written(int index, byte[] hash, ReadOnlySpan<byte> bytes)
    {
        lock (Gate)
        {
            Held[index] = hash;
            LogLine(index, hash);
            if (_pendingCount >= CheckpointEvery) Checkpoint();
        }
        Interlocked.Add(ref _bytesHeld, bytes.Length);
        if (index != _wholeCursor) return;
        _whole.Update(bytes);
        _wholeCursor++;
        AdvanceWholeFromDisk();
    }

    private bool IsHeld(int index)
    {
        lock (Gate) return Held.ContainsKey(index);
    }

    private void AdvanceWholeFromDisk()
    {
        while (_wholeCursor < ChunkCount && IsHeld(_wholeCursor))
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
    /// Waits for the queued chunks to reach the file, checks that every chunk is held and the whole file hashes to
    /// <paramref name="contentHash"/>, then files it in the inbox (never overwriting) and removes the partial folder.
    /// Returns the inbox path, or throws TransferCorrupt.
    /// </summary>
    public async Task<string> FinishAsync(DreamHome home, string contentHash)
    {
        if (_currentIndex >= 0)
            throw FqtpMessages.Violation($"Transfer {Id}: 'sent' arrived in the middle of chunk {_currentIndex}.");
        try
        {
            await _writer!.CompleteAsync().ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new DreamException(TransferErrors.InboxUnavailable, DreamErrorKind.ResourceUnavailable, $"Transfer {Id} ('{Name}'): {e.Message}", e);
        }
        int held;
        lock (Gate) held = Held.Count;
        if (held != ChunkCount)
            throw new DreamException(TransferErrors.TransferCorrupt, DreamErrorKind.InvalidData,
                $"Transfer {Id} ('{Name}') was declared sent with {ChunkCount - held} of {ChunkCount} chunks still missing.");
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

    /// <summary>Hands the log to the OS and lets go of the files; the partial state stays for a resume.</summary>
    public void Close()
    {
        lock (Gate)
        {
            if (_closed) return;
            _closed = true;
        }
        _writer?.Dispose();
        lock (Gate)
        {
            try { Checkpoint(); }
            catch (IOException) { /* the resume re-verifies whatever the disk holds */ }
        }
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
