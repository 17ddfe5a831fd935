using Dreamwell.Chain;

namespace Dreamwell.Tests.Chain;

/// <summary>Builds raw seal records the way an attacker with the file format (but not the key) could.</summary>
internal static class SealRecordCodecAccess
{
    public static byte[] UnsignedBody(long index, byte[] previousHash, string operation) =>
        SealRecordCodec.UnsignedBody(index, previousHash, DateTimeOffset.UtcNow, operation, Array.Empty<byte[]>(), "{}");

    public static byte[] SignedMessage(byte[] unsignedBody) => SealRecordCodec.SignedMessage(unsignedBody);
}
