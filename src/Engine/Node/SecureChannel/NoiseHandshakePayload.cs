using System.Text;
using Dreamwell.Identity;

namespace Dreamwell.Node.Secure;

/// <summary>
/// The libp2p NoiseHandshakePayload: identity_key (1, bytes: a PublicKey protobuf), identity_sig
/// (2, bytes), extensions (4, NoiseExtensions; accepted and ignored).
/// </summary>
internal sealed record NoiseHandshakePayload(byte[] IdentityKey, byte[] IdentitySignature)
{
    public const int IdentityKeyField = 1;
    public const int IdentitySignatureField = 2;
    public const int ExtensionsField = 4;

    public static ReadOnlySpan<byte> SignaturePrefix => "noise-libp2p-static-key:"u8;

    /// <summary>The bytes an identity signs to vouch for a Noise static key.</summary>
    public static byte[] SignedMessage(ReadOnlySpan<byte> noiseStaticKey) => [.. SignaturePrefix, .. noiseStaticKey];

    public static NoiseHandshakePayload Create(IdentityKeyPair identity, ReadOnlySpan<byte> noiseStaticKey) =>
        new(Libp2pPeerId.EncodePublicKey(identity.PublicKey), identity.Sign(SignedMessage(noiseStaticKey)));

    public byte[] Encode()
    {
        var output = new List<byte>(IdentityKey.Length + IdentitySignature.Length + 8);
        ProtobufWire.WriteBytesField(output, IdentityKeyField, IdentityKey);
        ProtobufWire.WriteBytesField(output, IdentitySignatureField, IdentitySignature);
        return output.ToArray();
    }

    public static NoiseHandshakePayload Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = new ProtobufReader(encoded);
        byte[]? key = null, signature = null;
        var sawExtensions = false;
        while (!reader.AtEnd)
        {
            var (field, wireType) = reader.ReadTag();
            switch (field)
            {
                case IdentityKeyField when wireType == ProtobufWire.LengthDelimited && key is null:
                    key = reader.ReadLengthDelimited().ToArray();
                    break;
                case IdentitySignatureField when wireType == ProtobufWire.LengthDelimited && signature is null:
                    signature = reader.ReadLengthDelimited().ToArray();
                    break;
                case ExtensionsField when wireType == ProtobufWire.LengthDelimited && !sawExtensions:
                    sawExtensions = true;
                    ValidateExtensions(reader.ReadLengthDelimited());
                    break;
                case IdentityKeyField or IdentitySignatureField or ExtensionsField:
                    throw SecureChannelErrors.Payload($"field {field} repeated or of the wrong wire type");
                default:
                    reader.Skip(wireType);
                    break;
            }
        }
        if (key is null) throw SecureChannelErrors.Payload("identity_key is missing");
        if (signature is null) throw SecureChannelErrors.Payload("identity_sig is missing");
        return new NoiseHandshakePayload(key, signature);
    }

    /// <summary>Checks the signature and returns the peer's Ed25519 key.</summary>
    public byte[] Verify(ReadOnlySpan<byte> remoteNoiseStaticKey)
    {
        var ed25519 = Libp2pPeerId.DecodePublicKey(IdentityKey);
        if (!IdentitySigner.Verify(ed25519, SignedMessage(remoteNoiseStaticKey), IdentitySignature))
            throw new DreamException(SecureChannelErrors.BadIdentitySignature, DreamErrorKind.SecurityError,
                "The peer's identity signature does not cover its Noise static key; the connection was refused (possible man in the middle).");
        return ed25519;
    }

    // NoiseExtensions: webtransport_certhashes (1, repeated bytes), stream_muxers (2, repeated string).
    private static void ValidateExtensions(ReadOnlySpan<byte> encoded)
    {
        var reader = new ProtobufReader(encoded);
        while (!reader.AtEnd)
        {
            var (field, wireType) = reader.ReadTag();
            if (field == 2 && wireType == ProtobufWire.LengthDelimited)
            {
                var muxer = reader.ReadLengthDelimited();
                if (!IsUtf8(muxer)) throw SecureChannelErrors.Payload("a stream muxer name is not UTF-8");
            }
            else
            {
                reader.Skip(wireType);
            }
        }
    }

    private static bool IsUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            _ = new UTF8Encoding(false, true).GetCharCount(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
