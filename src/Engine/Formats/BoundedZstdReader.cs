using ZstdSharp;
using ZstdSharp.Unsafe;

namespace Dreamwell.Formats;

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
