using System.Buffers.Binary;

namespace Dreamwell.Node.Secure;

/// <summary>
/// Reads libp2p Noise frames (2-byte big-endian length, then the body) through a read-ahead buffer, so a stream of
/// back-to-back frames costs one read call per buffer instead of two per frame. One reader per connection, not shared.
/// </summary>
internal sealed class FrameReader(Stream stream)
{
    private const int ReadAhead = 256 * 1024;
    private readonly byte[] _buffer = new byte[ReadAhead + FrameIo.MaxFrameLength];
    private int _start;
    private int _end;

    /// <summary>The next frame's body (valid until the next call), or null when the stream ends cleanly between frames.</summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadAsync(CancellationToken cancellationToken)
    {
        if (!await FillAsync(FrameIo.HeaderLength, cancellationToken).ConfigureAwait(false))
        {
            if (_end == _start) return null;
            throw FrameIo.Truncated();
        }
        var length = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(_start));
        if (!await FillAsync(FrameIo.HeaderLength + length, cancellationToken).ConfigureAwait(false)) throw FrameIo.Truncated();
        var body = _buffer.AsMemory(_start + FrameIo.HeaderLength, length);
        _start += FrameIo.HeaderLength + length;
        return body;
    }

    /// <summary>Makes at least <paramref name="count"/> unread bytes available; false when the stream ends first.</summary>
    private async ValueTask<bool> FillAsync(int count, CancellationToken cancellationToken)
    {
        if (_end - _start >= count) return true;
        if (_buffer.Length - _start < count)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        while (_end - _start < count)
        {
            var read = await stream.ReadAsync(_buffer.AsMemory(_end, Math.Min(_buffer.Length - _end, ReadAhead)), cancellationToken).ConfigureAwait(false);
            if (read == 0) return false;
            _end += read;
        }
        return true;
    }
}
