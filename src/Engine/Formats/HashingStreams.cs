using Blake3;

namespace Dreamwell.Formats;

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
