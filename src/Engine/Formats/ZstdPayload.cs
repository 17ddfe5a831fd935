using Blake3;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace Dreamwell.Formats;

/// <summary>How compressors are configured, in one place, so every format gets deterministic output.</summary>
internal static class ZstdSettings
{
    public const int DefaultLevel = 3;
    public const int FractalDefaultLevel = 19;

    public static int Threads(PackOptions options) => options.Threads > 0 ? options.Threads : Environment.ProcessorCount;

    public static int Level(PackOptions options, int fallback)
    {
        var level = options.Level ?? fallback;
        if (level < -7 || level > 22 || level == 0)
            throw new DreamException("InvalidLevel", DreamErrorKind.InvalidArgument, $"Level {level} is outside zstd's -7..-1, 1..22.");
        return level;
    }

    /// <summary>
    /// Without long-distance matching, multi-threaded zstd (nbWorkers ≥ 1) produces the same bytes whatever the
    /// worker count, so the thread count never changes the container. With long-distance matching the
    /// multi-threaded output depends on timing (measured: two runs with 2 workers differed), so that mode always
    /// compresses on one thread (nbWorkers = 0).
    /// </summary>
    public static void Configure(Action<ZSTD_cParameter, int> set, int level, int threads, int? longWindowLog)
    {
        set(ZSTD_cParameter.ZSTD_c_compressionLevel, level);
        set(ZSTD_cParameter.ZSTD_c_checksumFlag, 0);
        if (longWindowLog is { } windowLog)
        {
            set(ZSTD_cParameter.ZSTD_c_nbWorkers, 0);
            set(ZSTD_cParameter.ZSTD_c_enableLongDistanceMatching, 1);
            set(ZSTD_cParameter.ZSTD_c_windowLog, windowLog);
        }
        else set(ZSTD_cParameter.ZSTD_c_nbWorkers, Math.Max(1, threads));
    }
}

/// <summary>A write-through stream that counts and BLAKE3-hashes what passes, for payloads written once.</summary>
internal sealed class HashingWriteStream : Stream
{
    private readonly Stream _inner;
    private Hasher _hasher = Hasher.New();

    public HashingWriteStream(Stream inner) => _inner = inner;

    public long Written { get; private set; }

    public byte[] FinishHash()
    {
        var hash = new byte[Blake3Hash.Size];
        _hasher.Finalize(hash);
        return hash;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hasher.Update(buffer);
        _inner.Write(buffer);
        Written += buffer.Length;
    }

    public override void Flush() => _inner.Flush();
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => Written; set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hasher.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>
/// Reads exactly <c>limit</c> bytes of a container's payload region, hashing them, so the decoder can never
/// read past its payload and the payload hash is known once the region is drained.
/// </summary>
internal sealed class HashingReadStream : Stream
{
    private readonly Stream _inner;
    private readonly long _limit;
    private Hasher _hasher = Hasher.New();

    public HashingReadStream(Stream inner, long limit)
    {
        _inner = inner;
        _limit = limit;
    }

    public long Consumed { get; private set; }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var want = (int)Math.Min(buffer.Length, _limit - Consumed);
        if (want <= 0) return 0;
        var read = _inner.Read(buffer[..want]);
        _hasher.Update(buffer[..read]);
        Consumed += read;
        return read;
    }

    /// <summary>Reads whatever the decoder left unread, then returns the hash of the whole region.</summary>
    public byte[] DrainAndHash()
    {
        var scratch = new byte[1 << 16];
        while (Read(scratch) > 0) { }
        var hash = new byte[Blake3Hash.Size];
        _hasher.Finalize(hash);
        return hash;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _limit;
    public override long Position { get => Consumed; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hasher.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>
/// Pulls decompressed bytes from one zstd payload region with the declared size as a hard ceiling. Any decoder
/// failure is reported as the payload hash mismatch it almost always is, or as CorruptPayload when the hash
/// matches (a writer bug or a forged container).
/// </summary>
internal sealed class BoundedZstdReader : IDisposable
{
    private readonly HashingReadStream _region;
    private readonly DecompressionStream _decoder;
    private readonly byte[] _expectedPayloadHash;
    private readonly long _declaredSize;
    private readonly long _payloadOffset;

    public BoundedZstdReader(Stream container, long payloadOffset, long payloadSize, byte[] expectedPayloadHash, long declaredSize)
    {
        FormatLimits.CheckRatio(declaredSize, payloadSize, payloadOffset);
        _region = new HashingReadStream(container, payloadSize);
        _decoder = new DecompressionStream(_region, bufferSize: 1 << 17, checkEndOfStream: true, leaveOpen: true);
        _decoder.SetParameter(ZSTD_dParameter.ZSTD_d_windowLogMax, FormatLimits.MaxWindowLog);
        _expectedPayloadHash = expectedPayloadHash;
        _declaredSize = declaredSize;
        _payloadOffset = payloadOffset;
    }

    public long Produced { get; private set; }

    /// <summary>Fills <paramref name="buffer"/> completely or throws.</summary>
    public void ReadExactly(Span<byte> buffer)
    {
        if (Produced + buffer.Length > _declaredSize)
            throw new DreamFormatException("LimitExceeded", "A record reaches past the declared decompressed size.", _payloadOffset);
        var filled = 0;
        while (filled < buffer.Length)
        {
            int read;
            try
            {
                read = _decoder.Read(buffer[filled..]);
            }
            catch (Exception e) when (e is ZstdException or InvalidDataException or EndOfStreamException or IOException)
            {
                throw Fail(e);
            }
            if (read == 0) throw Fail(null);
            filled += read;
        }
        Produced += filled;
    }

    /// <summary>Checks the payload decoded to exactly the declared size and its compressed bytes hash right.</summary>
    public void Finish()
    {
        Span<byte> probe = stackalloc byte[1];
        int extra;
        try
        {
            extra = Produced == _declaredSize ? _decoder.Read(probe) : -1;
        }
        catch (Exception e) when (e is ZstdException or InvalidDataException or EndOfStreamException or IOException)
        {
            throw Fail(e);
        }
        if (extra != 0) throw Fail(null);
        if (!_region.DrainAndHash().AsSpan().SequenceEqual(_expectedPayloadHash))
            throw new DreamFormatException("PayloadHashMismatch", "The payload's BLAKE3 hash does not match: the compressed data is damaged.", _payloadOffset);
    }

    private DreamFormatException Fail(Exception? inner)
    {
        if (!_region.DrainAndHash().AsSpan().SequenceEqual(_expectedPayloadHash))
            return new DreamFormatException("PayloadHashMismatch", "The payload's BLAKE3 hash does not match: the compressed data is damaged.", _payloadOffset, inner);
        return new DreamFormatException("CorruptPayload", "The payload hash matches but it does not decode to the declared size.", _payloadOffset, inner);
    }

    public void Dispose()
    {
        _decoder.Dispose();
        _region.Dispose();
    }
}
