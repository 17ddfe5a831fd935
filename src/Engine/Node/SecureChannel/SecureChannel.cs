using Dreamwell.Node.Noise;

namespace Dreamwell.Node.Secure;

/// <summary>
/// The libp2p Noise secure channel (libp2p specs noise/README.md): Noise_XX_25519_ChaChaPoly_SHA256
/// with an empty prologue, 2-byte big-endian framed messages and the NoiseHandshakePayload that binds
/// each side's Ed25519 identity to its Noise static key.
/// </summary>
/// <remarks>
/// The stream passes to the returned <see cref="SecureConnection"/> on success; on failure it is left
/// to the caller, who should close it.
/// </remarks>
public static class SecureChannel
{
    public static Task<SecureConnection> ConnectAsync(Stream stream, IdentityKeyPair identity, CancellationToken cancellationToken = default) =>
        HandshakeAsync(stream, identity, initiator: true, SecureChannelOptions.Default, cancellationToken);

    public static Task<SecureConnection> ConnectAsync(Stream stream, IdentityKeyPair identity, SecureChannelOptions options, CancellationToken cancellationToken = default) =>
        HandshakeAsync(stream, identity, initiator: true, options, cancellationToken);

    public static Task<SecureConnection> AcceptAsync(Stream stream, IdentityKeyPair identity, CancellationToken cancellationToken = default) =>
        HandshakeAsync(stream, identity, initiator: false, SecureChannelOptions.Default, cancellationToken);

    public static Task<SecureConnection> AcceptAsync(Stream stream, IdentityKeyPair identity, SecureChannelOptions options, CancellationToken cancellationToken = default) =>
        HandshakeAsync(stream, identity, initiator: false, options, cancellationToken);

    private static async Task<SecureConnection> HandshakeAsync(Stream stream, IdentityKeyPair identity, bool initiator, SecureChannelOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(identity);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.HandshakeTimeout);
        NoiseKeyPair? noiseStatic = null;
        HandshakeState? handshake = null;
        try
        {
            byte[]? message1 = null;
            if (!initiator)
            {
                // Message 1 and admission come before any key is made: under load the dialer pays before we do X25519 or Ed25519 work.
                message1 = await ReadHandshakeFrameAsync(stream, timeout.Token).ConfigureAwait(false);
                if (options.Admit is { } admit) await admit(stream, message1, timeout.Token).ConfigureAwait(false);
            }
            noiseStatic = NoiseKeyPair.Generate();
            handshake = new HandshakeState(NoiseProtocol.XX25519ChaChaPolySha256, initiator, prologue: [], noiseStatic);
            var ownPayload = NoiseHandshakePayload.Create(identity, noiseStatic.PublicKey).Encode();
            byte[] remoteKey;
            if (initiator)
            {
                // -> e        (the libp2p spec sends no early data)
                var first = handshake.WriteMessage([]);
                await FrameIo.WriteAsync(stream, first, timeout.Token).ConfigureAwait(false);
                // <- e, ee, s, es + responder payload, or an admission challenge when the responder is under load
                var reply = await ReadHandshakeFrameAsync(stream, timeout.Token).ConfigureAwait(false);
                for (var round = 0; Admission.AdmissionFrames.IsChallenge(reply); round++)
                {
                    if (round == 2) throw SecureChannelErrors.Handshake("The responder kept asking for admission.");
                    var answer = await Admission.AdmissionAnswer.AnswerAsync(reply, first, options.AdmissionTicket, options.MaxPuzzleBits, timeout.Token).ConfigureAwait(false);
                    await FrameIo.WriteAsync(stream, answer, timeout.Token).ConfigureAwait(false);
                    reply = await ReadHandshakeFrameAsync(stream, timeout.Token).ConfigureAwait(false);
                }
                remoteKey = Authenticate(handshake, handshake.ReadMessage(reply), options);
                // -> s, se + initiator payload
                await FrameIo.WriteAsync(stream, handshake.WriteMessage(ownPayload), timeout.Token).ConfigureAwait(false);
            }
            else
            {
                // A payload in message 1 would be unauthenticated, so it is read (to keep h in step) and ignored.
                handshake.ReadMessage(message1!);
                await FrameIo.WriteAsync(stream, handshake.WriteMessage(ownPayload), timeout.Token).ConfigureAwait(false);
                remoteKey = Authenticate(handshake, handshake.ReadMessage(await ReadHandshakeFrameAsync(stream, timeout.Token).ConfigureAwait(false)), options);
            }
            return new SecureConnection(stream, handshake.Result!, remoteKey, handshake.RemoteStaticKey!, identity.PublicKey, initiator);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DreamException(SecureChannelErrors.HandshakeTimeout, DreamErrorKind.ResourceUnavailable,
                $"The peer did not complete the Noise handshake within {options.HandshakeTimeout.TotalSeconds:0.###} s.");
        }
        catch (IOException error)
        {
            throw SecureChannelErrors.Handshake($"The connection failed during the Noise handshake: {error.Message}", error);
        }
        catch (DreamException error) when (error.ErrorId == SecureChannelErrors.TruncatedFrame)
        {
            throw SecureChannelErrors.Handshake("The peer closed the connection in the middle of a handshake message.", error);
        }
        finally
        {
            handshake?.Dispose();
            noiseStatic?.Dispose();
        }
    }

    private static async Task<byte[]> ReadHandshakeFrameAsync(Stream stream, CancellationToken cancellationToken) =>
        await FrameIo.ReadAsync(stream, cancellationToken).ConfigureAwait(false)
            ?? throw SecureChannelErrors.Handshake("The peer closed the connection before the Noise handshake finished.");

    private static byte[] Authenticate(HandshakeState handshake, byte[] payload, SecureChannelOptions options)
    {
        var remoteKey = NoiseHandshakePayload.Decode(payload).Verify(handshake.RemoteStaticKey!);
        if (options.ExpectedRemoteKey is { } expected && !expected.AsSpan().SequenceEqual(remoteKey))
            throw new DreamException(SecureChannelErrors.PeerKeyMismatch, DreamErrorKind.SecurityError,
                $"The peer proved identity {Libp2pPeerId.FromEd25519(remoteKey)}, not the expected {(expected.Length == 32 ? Libp2pPeerId.FromEd25519(expected) : "key")}.");
        return remoteKey;
    }
}
