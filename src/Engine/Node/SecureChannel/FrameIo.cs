using System.Buffers.Binary;
using Dreamwell.Node.Noise;

namespace Dreamwell.Node.Secure;

/// <summary>libp2p Noise framing: a 2-byte big-endian length, then that many bytes (at most 65535).</summary>
internal static class FrameIo
{
    public const int HeaderLength = 2;

    /// <summary>The largest frame on the wire, length header included.</summary>
    public const int MaxFrameLength = HeaderLength + NoiseLimits.MaxMessageLength;

    /// <summary>Writes the frame whose body of <paramref name="bodyLength"/> bytes is already at offset 2 of <paramref name="frame"/>.</summary>
    public static async Task WriteFramedAsync(Stream stream, byte[] frame, int bodyLength, CancellationToken cancellationToken)
    {
        ThrowIfTooLarge(bodyLength);
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)bodyLength);
        await stream.WriteAsync(frame.AsMemory(0, HeaderLength + bodyLength), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task WriteAsync(Stream stream, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ThrowIfTooLarge(body.Length);
        var frame = new byte[HeaderLength + body.Length];
        body.CopyTo(frame.AsMemory(HeaderLength));
        await WriteFramedAsync(stream, frame, body.Length, cancellationToken).ConfigureAwait(false);
    }

    private static void ThrowIfTooLarge(int bodyLength)
    {
        if (bodyLength > NoiseLimits.MaxMessageLength)
            throw new DreamException(SecureChannelErrors.FrameTooLarge, DreamErrorKind.LimitExceeded, $"A frame carries at most {NoiseLimits.MaxMessageLength} bytes.");
    }

    /// <summary>
    /// Reads one frame body into <paramref name="buffer"/> (at least <see cref="MaxFrameLength"/> bytes) and returns its
    /// length, or -1 when the stream ends cleanly before a frame starts. It reads exactly the frame, never ahead.
    /// </summary>
    public static async Task<int> ReadIntoAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var got = await stream.ReadAtLeastAsync(buffer.AsMemory(0, HeaderLength), HeaderLength, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (got == 0) return -1;
        if (got < HeaderLength) throw Truncated();
        var length = BinaryPrimitives.ReadUInt16BigEndian(buffer);
        if (length == 0) return 0;
        got = await stream.ReadAtLeastAsync(buffer.AsMemory(0, length), length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (got < length) throw Truncated();
        return length;
    }

    /// <summary>One frame body, or null when the stream ends cleanly before a frame starts.</summary>
    /// <exception cref="DreamException">TruncatedFrame when the stream ends inside a frame.</exception>
    public static async Task<byte[]?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxFrameLength];
        var length = await ReadIntoAsync(stream, buffer, cancellationToken).ConfigureAwait(false);
        return length < 0 ? null : buffer[..length];
    }

    private static DreamException Truncated() =>
        new(SecureChannelErrors.TruncatedFrame, DreamErrorKind.InvalidData, "The connection ended in the middle of a frame.");
}
