using Dreamwell.Node.Noise;

namespace Dreamwell.Tests.Noise;

/// <summary>Behaviour of the Noise state machines beyond the vectors: rekey, replay, tampering, limits.</summary>
public sealed class NoiseStateTests
{
    private static (NoiseTransport Initiator, NoiseTransport Responder) Handshake()
    {
        using var initiatorStatic = NoiseKeyPair.Generate();
        using var responderStatic = NoiseKeyPair.Generate();
        var protocol = NoiseProtocol.XX25519ChaChaPolySha256;
        using var initiator = new HandshakeState(protocol, true, [], initiatorStatic);
        using var responder = new HandshakeState(protocol, false, [], responderStatic);
        responder.ReadMessage(initiator.WriteMessage([]));
        initiator.ReadMessage(responder.WriteMessage([]));
        responder.ReadMessage(initiator.WriteMessage([]));
        Assert.Equal(responderStatic.PublicKey, initiator.RemoteStaticKey);
        Assert.Equal(initiatorStatic.PublicKey, responder.RemoteStaticKey);
        return (initiator.Result!, responder.Result!);
    }

    [Fact]
    public void RekeyOnBothSidesKeepsTheChannelWorking()
    {
        var (a, b) = Handshake();
        Assert.Equal([1, 2, 3], b.Decrypt(a.Encrypt([1, 2, 3])));
        var nonceBefore = a.Send.Nonce;
        a.Send.Rekey();
        b.Receive.Rekey();
        Assert.Equal(nonceBefore, a.Send.Nonce);
        Assert.Equal([4, 5, 6], b.Decrypt(a.Encrypt([4, 5, 6])));
    }

    [Fact]
    public void RekeyOnOneSideOnlyMakesTheNextMessageFailAuthentication()
    {
        var (a, b) = Handshake();
        a.Send.Rekey();
        var error = Assert.Throws<DreamException>(() => b.Decrypt(a.Encrypt([7])));
        Assert.Equal("DecryptFailed", error.ErrorId);
    }

    [Fact]
    public void AReplayedOrTamperedTransportMessageIsRefused()
    {
        var (a, b) = Handshake();
        var first = a.Encrypt("hello"u8);
        Assert.Equal("hello"u8.ToArray(), b.Decrypt(first));
        Assert.Equal("DecryptFailed", Assert.Throws<DreamException>(() => b.Decrypt(first)).ErrorId);

        var second = a.Encrypt("world"u8);
        second[0] ^= 1;
        Assert.Equal("DecryptFailed", Assert.Throws<DreamException>(() => b.Decrypt(second)).ErrorId);
        second[0] ^= 1;
        Assert.Equal("world"u8.ToArray(), b.Decrypt(second));
    }

    [Fact]
    public void PlaintextBeyondOneNoiseMessageIsRefused()
    {
        var (a, _) = Handshake();
        Assert.Equal(NoiseLimits.MaxMessageLength, a.Encrypt(new byte[NoiseLimits.MaxPlaintextLength]).Length);
        Assert.Equal("FrameTooLarge", Assert.Throws<DreamException>(() => a.Encrypt(new byte[NoiseLimits.MaxPlaintextLength + 1])).ErrorId);
    }

    [Fact]
    public void TruncatedHandshakeMessagesFailCleanly()
    {
        using var initiator = new HandshakeState(NoiseProtocol.XX25519ChaChaPolySha256, true, [], NoiseKeyPair.Generate());
        using var responder = new HandshakeState(NoiseProtocol.XX25519ChaChaPolySha256, false, [], NoiseKeyPair.Generate());
        var first = initiator.WriteMessage([]);
        Assert.Equal("NoiseMalformedMessage", Assert.Throws<DreamException>(() => responder.ReadMessage(first.AsSpan(0, 31))).ErrorId);
        Assert.Equal("NoiseInvalidState", Assert.Throws<DreamException>(() => responder.ReadMessage(first)).ErrorId);
    }

    [Fact]
    public void ALowOrderEphemeralKeyIsRefused()
    {
        using var initiator = new HandshakeState(NoiseProtocol.XX25519ChaChaPolySha256, true, [], NoiseKeyPair.Generate());
        initiator.WriteMessage([]);
        var error = Assert.Throws<DreamException>(() => initiator.ReadMessage(new byte[96]));
        Assert.Equal("NoiseKeyAgreementFailed", error.ErrorId);
    }

    [Fact]
    public void UnsupportedProtocolsAreNamed()
    {
        Assert.Equal("NoiseUnsupportedProtocol", Assert.Throws<DreamException>(() => NoiseProtocol.Parse("Noise_XX_448_ChaChaPoly_SHA256")).ErrorId);
        Assert.Equal("NoiseUnsupportedProtocol", Assert.Throws<DreamException>(() => NoiseProtocol.Parse("Noise_XXpsk3_25519_ChaChaPoly_SHA256")).ErrorId);
        Assert.Equal("NoiseUnsupportedProtocol", Assert.Throws<DreamException>(() => NoiseProtocol.Parse("Noise_XX_25519_AESGCM_SHA256")).ErrorId);
    }

    [Fact]
    public void EveryPatternCompletesAndBothSidesAgree()
    {
        foreach (var name in HandshakePattern.Names)
        {
            var protocol = NoiseProtocol.Parse($"Noise_{name}_25519_ChaChaPoly_SHA256");
            using var initiatorStatic = NoiseKeyPair.Generate();
            using var responderStatic = NoiseKeyPair.Generate();
            var pattern = protocol.Pattern;
            using var initiator = new HandshakeState(protocol, true, "p"u8, initiatorStatic,
                pattern.ResponderPreMessage.Count > 0 ? responderStatic.PublicKey : default);
            using var responder = new HandshakeState(protocol, false, "p"u8, responderStatic,
                pattern.InitiatorPreMessage.Count > 0 ? initiatorStatic.PublicKey : default);
            for (var i = 0; i < pattern.Messages.Count; i++)
            {
                var (sender, receiver) = i % 2 == 0 ? (initiator, responder) : (responder, initiator);
                Assert.Equal(new byte[] { (byte)i }, receiver.ReadMessage(sender.WriteMessage([(byte)i])));
            }
            Assert.Equal(initiator.Result!.HandshakeHash, responder.Result!.HandshakeHash);
            Assert.Equal([9], responder.Result.Decrypt(initiator.Result.Encrypt([9])));
        }
    }
}
