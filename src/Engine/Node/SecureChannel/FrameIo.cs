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
        if (bodyLength > NoiseLimits.MaxMessageLength)
            throw new DreamException(SecureChannelErrors.FrameTooLarge, DreamErrorKind.LimitExceeded, $"A frame carries at most {NoiseLimits.MaxMessageLength} bytes.");
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)bodyLength);
        await stream.WriteAsync(frame.AsMemory(0, HeaderLength + bodyLength), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public static Task WriteAsync(Stream stream, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var frame = new byte[HeaderLength + Math.Min(body.Length, NoiseLimits.MaxMessageLength)];
        if (body.Length <= NoiseLimits.MaxMessageLength) body.CopyTo(frame.AsMemory(HeaderLength));
        return WriteFramedAsync(stream, frame, body.Length, cancellationToken);
    }

    /// <summary>One frame body, or null when the stream ends cleanly before a frame starts.</summary>
    /// <exception cref="DreamException">TruncatedFrame when the stream ends inside a frame.</exception>
    public static async Task<byte[]?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[2];
        var got = await stream.ReadAtLeastAsync(header, 2, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (got == 0) return null;
        if (got < 2) throw Truncated();
        // The length field cannot exceed 65535, so this allocation is bounded by the format itself.
        var body = new byte[BinaryPrimitives.ReadUInt16BigEndian(header)];
        if (body.Length == 0) return body;
        got = await stream.ReadAtLeastAsync(body, body.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (got < body.Length) throw Truncated();
        return body;
    }

    public static DreamException Truncated() =>
        new(SecureChannelErrors.TruncatedFrame, DreamErrorKind.InvalidData, "The connection ended in the middle of a frame.");
}
