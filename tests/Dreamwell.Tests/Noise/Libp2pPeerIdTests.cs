using Dreamwell.Node.Secure;

namespace Dreamwell.Tests.Noise;

/// <summary>PeerId derivation and the handshake payload bytes, against values js-libp2p computed.</summary>
public sealed class Libp2pPeerIdTests
{
    // Expected ids printed by @libp2p/peer-id 6.0.15 (peerIdFromPublicKey(publicKeyFromRaw(key))).
    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000", "12D3KooW9pNAk8aiBuGVQtWRdbkLmo5qVL3e2h5UxbN2Nz9ttwiw")]
    [InlineData("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "12D3KooWQK1wnefoLrcVHbbnf5tLzbopUd3K3bFAoJpA7YJgL5pV")]
    public void PeerIdMatchesJsLibp2p(string keyHex, string peerId) =>
        Assert.Equal(peerId, Libp2pPeerId.FromEd25519(Convert.FromHexString(keyHex)));

    [Fact]
    public void ThePublicKeyProtobufIsTheCanonicalThirtySixBytes()
    {
        var key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var encoded = Libp2pPeerId.EncodePublicKey(key);
        Assert.Equal("08011220" + Convert.ToHexStringLower(key), Convert.ToHexStringLower(encoded));
        Assert.Equal(key, Libp2pPeerId.DecodePublicKey(encoded));
    }

    [Fact]
    public void TheHandshakePayloadCarriesKeyAndSignatureInFieldsOneAndTwo()
    {
        using var identity = IdentityKeyPair.Generate();
        var staticKey = new byte[32];
        var payload = NoiseHandshakePayload.Create(identity, staticKey).Encode();
        Assert.Equal("0a2408011220" + Convert.ToHexStringLower(identity.PublicKey) + "1240", Convert.ToHexStringLower(payload[..40]));
        Assert.Equal(104, payload.Length);
        var decoded = NoiseHandshakePayload.Decode(payload);
        Assert.Equal(identity.PublicKey, decoded.Verify(staticKey));
    }

    [Fact]
    public void UnknownFieldsAndExtensionsAreSkipped()
    {
        using var identity = IdentityKeyPair.Generate();
        var staticKey = Enumerable.Repeat((byte)7, 32).ToArray();
        var payload = NoiseHandshakePayload.Create(identity, staticKey).Encode();
        // extensions { stream_muxers: "/yamux/1.0.0" }, then an unknown varint field 9 and fixed32 field 10.
        byte[] extra = [0x22, 0x0e, 0x12, 0x0c, .. "/yamux/1.0.0"u8, 0x48, 0x96, 0x01, 0x55, 1, 2, 3, 4];
        Assert.Equal(identity.PublicKey, NoiseHandshakePayload.Decode([.. payload, .. extra]).Verify(staticKey));
    }
}
