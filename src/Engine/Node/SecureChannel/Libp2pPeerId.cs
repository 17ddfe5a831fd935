using System.Numerics;
using System.Text;

namespace Dreamwell.Node.Secure;

/// <summary>
/// libp2p peer ids for Ed25519 keys (libp2p specs, peer-ids/peer-ids.md): the PublicKey protobuf
/// {Type = Ed25519 (1), Data = 32 bytes}, wrapped in an identity multihash, written in base58btc.
/// </summary>
public static class Libp2pPeerId
{
    private const int Ed25519KeyType = 1;
    private const string Base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    /// <summary>The deterministic PublicKey protobuf: 08 01 12 20 followed by the 32 key bytes.</summary>
    public static byte[] EncodePublicKey(ReadOnlySpan<byte> ed25519PublicKey)
    {
        RequireKeyLength(ed25519PublicKey);
        var output = new List<byte>(36);
        ProtobufWire.WriteVarintField(output, 1, Ed25519KeyType);
        ProtobufWire.WriteBytesField(output, 2, ed25519PublicKey);
        return output.ToArray();
    }

    /// <summary>Reads a PublicKey protobuf and returns the Ed25519 key it carries; other key types are refused.</summary>
    public static byte[] DecodePublicKey(ReadOnlySpan<byte> encoded)
    {
        var reader = new ProtobufReader(encoded);
        ulong? type = null;
        byte[]? data = null;
        while (!reader.AtEnd)
        {
            var (field, wireType) = reader.ReadTag();
            switch (field)
            {
                case 1 when wireType == ProtobufWire.Varint && type is null:
                    type = reader.ReadVarint();
                    break;
                case 2 when wireType == ProtobufWire.LengthDelimited && data is null:
                    data = reader.ReadLengthDelimited().ToArray();
                    break;
                case 1 or 2:
                    throw SecureChannelErrors.Payload("PublicKey field repeated or of the wrong wire type");
                default:
                    reader.Skip(wireType);
                    break;
            }
        }
        if (type is null || data is null) throw SecureChannelErrors.Payload("PublicKey lacks Type or Data");
        if (type != Ed25519KeyType)
            throw new DreamException(SecureChannelErrors.UnsupportedIdentityKey, DreamErrorKind.SecurityError,
                $"The peer's identity key type {type} is not Ed25519 (1); only Ed25519 peers are accepted.");
        if (data.Length != 32) throw SecureChannelErrors.Payload("an Ed25519 key is 32 bytes");
        return data;
    }

    /// <summary>The peer id string ("12D3KooW…") of an Ed25519 public key.</summary>
    public static string FromEd25519(ReadOnlySpan<byte> ed25519PublicKey)
    {
        var encoded = EncodePublicKey(ed25519PublicKey);
        // Keys whose protobuf is at most 42 bytes use the identity multihash: code 0x00, then the length.
        var multihash = new byte[2 + encoded.Length];
        multihash[0] = 0x00;
        multihash[1] = (byte)encoded.Length;
        encoded.CopyTo(multihash, 2);
        return Base58(multihash);
    }

    private static string Base58(ReadOnlySpan<byte> bytes)
    {
        var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        var digits = new StringBuilder();
        while (value > 0)
        {
            value = BigInteger.DivRem(value, 58, out var remainder);
            digits.Insert(0, Base58Alphabet[(int)remainder]);
        }
        foreach (var b in bytes)
        {
            if (b != 0) break;
            digits.Insert(0, '1');
        }
        return digits.ToString();
    }

    private static void RequireKeyLength(ReadOnlySpan<byte> key)
    {
        if (key.Length != 32) throw new DreamException("BadIdentityKey", DreamErrorKind.InvalidArgument, "An Ed25519 public key is 32 bytes.");
    }
}
