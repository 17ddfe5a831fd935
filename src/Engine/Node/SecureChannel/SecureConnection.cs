using Dreamwell.Node.Noise;

namespace Dreamwell.Node.Secure;

/// <summary>
/// An established libp2p Noise channel. One frame on the wire carries one message of at most
/// <see cref="MaxMessageLength"/> bytes. Sends and receives may run concurrently with each other;
/// any authentication or framing failure closes the channel for good.
/// </summary>
public sealed class SecureConnection : IDisposable, IAsyncDisposable
{
    /// <summary>Largest plaintext one frame carries (65535 minus the 16-byte tag).</summary>
    public const int MaxMessageLength = NoiseLimits.MaxPlaintextLength;

    private readonly Stream _stream;
    private readonly NoiseTransport _transport;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly SemaphoreSlim _receiveLock = new(1, 1);
    // One frame each way, reused under its lock: the hot path of a transfer allocates only the plaintext it hands out.
    private readonly byte[] _sendFrame = new byte[FrameIo.MaxFrameLength];
    private readonly byte[] _receiveFrame = new byte[FrameIo.MaxFrameLength];
    private volatile bool _closed;

    internal SecureConnection(Stream stream, NoiseTransport transport, byte[] remoteEd25519Key, byte[] remoteNoiseStaticKey, byte[] localEd25519Key, bool isInitiator)
    {
        _stream = stream;
        _transport = transport;
        RemoteEd25519Key = remoteEd25519Key;
        RemoteNoiseStaticKey = remoteNoiseStaticKey;
        RemotePeerId = Libp2pPeerId.FromEd25519(remoteEd25519Key);
        LocalPeerId = Libp2pPeerId.FromEd25519(localEd25519Key);
        IsInitiator = isInitiator;
    }

    /// <summary>The peer's verified Ed25519 identity key (32 bytes).</summary>
    public byte[] RemoteEd25519Key { get; }

    /// <summary>The peer's libp2p peer id, derived from <see cref="RemoteEd25519Key"/>.</summary>
    public string RemotePeerId { get; }

    public string LocalPeerId { get; }

    /// <summary>The peer's X25519 Noise static key for this connection.</summary>
    public byte[] RemoteNoiseStaticKey { get; }

    /// <summary>The Noise handshake hash, equal on both sides (channel binding).</summary>
    public byte[] HandshakeHash => (byte[])_transport.HandshakeHash.Clone();

    public bool IsInitiator { get; }

    /// <summary>Messages encrypted so far in this direction (the Noise send nonce).</summary>
    public long MessagesSent => (long)_transport.Send.Nonce;

    /// <summary>Messages decrypted so far in this direction (the Noise receive nonce).</summary>
    public long MessagesReceived => (long)_transport.Receive.Nonce;

    public Task SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default) =>
        SendAsync(message, rekeyAfter: false, cancellationToken);

    /// <summary>
    /// Sends one message and then rekeys the outbound key (Noise Rekey()) under the same lock, so no other message
    /// can slip in between: the peer rekeys its inbound key right after reading this one.
    /// </summary>
    public Task SendThenRekeyOutboundAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default) =>
        SendAsync(message, rekeyAfter: true, cancellationToken);

    private async Task SendAsync(ReadOnlyMemory<byte> message, bool rekeyAfter, CancellationToken cancellationToken)
    {
        if (message.Length > MaxMessageLength)
            throw new DreamException(SecureChannelErrors.FrameTooLarge, DreamErrorKind.LimitExceeded,
                $"A message of {message.Length} bytes does not fit one frame (at most {MaxMessageLength}).");
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfClosed();
            try
            {
                var length = message.Length + NoiseLimits.TagLength;
                _transport.Encrypt(message.Span, _sendFrame.AsSpan(FrameIo.HeaderLength, length));
                await FrameIo.WriteFramedAsync(_stream, _sendFrame, length, cancellationToken).ConfigureAwait(false);
                if (rekeyAfter) _transport.Send.Rekey();
            }
            catch (ObjectDisposedException error)
            {
                throw Closed(error);
            }
            catch
            {
                // The nonce is spent whether or not the frame left; a half-written stream cannot continue.
                _closed = true;
                throw;
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>The next message, or null when the peer closed the connection cleanly between frames.</summary>
    public async Task<byte[]?> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        await _receiveLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfClosed();
            try
            {
                var length = await FrameIo.ReadIntoAsync(_stream, _receiveFrame, cancellationToken).ConfigureAwait(false);
                if (length < 0)
                {
                    _closed = true;
                    return null;
                }
                return _transport.Decrypt(_receiveFrame.AsSpan(0, length));
            }
            catch (ObjectDisposedException error)
            {
                _closed = true;
                throw Closed(error);
            }
            catch
            {
                _closed = true;
                throw;
            }
        }
        finally
        {
            _receiveLock.Release();
        }
    }

    /// <summary>
    /// Noise Rekey() of the outbound key (section 11.3). The peer must call <see cref="RekeyInbound"/>
    /// at the same point of the stream; when and how that is agreed is up to the protocol above.
    /// </summary>
    public void RekeyOutbound()
    {
        _sendLock.Wait();
        try
        {
            ThrowIfClosed();
            _transport.Send.Rekey();
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Noise Rekey() of the inbound key, matching the peer's <see cref="RekeyOutbound"/>.</summary>
    public void RekeyInbound()
    {
        _receiveLock.Wait();
        try
        {
            ThrowIfClosed();
            _transport.Receive.Rekey();
        }
        finally
        {
            _receiveLock.Release();
        }
    }

    public void Dispose()
    {
        _closed = true;
        _stream.Dispose();
        _transport.Dispose();
    }

    /// <summary>
    /// Closes so that the last frame sent (an error, a bye) reaches the peer: closing a socket that still holds unread
    /// bytes from the peer sends a reset, and a reset can make the peer drop data it has not read yet (a peer cut for
    /// flooding always has more on the way). So: stop sending, then read and drop what still comes until the peer
    /// closes, at most <paramref name="maxBytes"/> or <paramref name="wait"/>, then close. Call only when nothing else
    /// reads or writes.
    /// </summary>
    public async Task CloseAfterLastSendAsync(TimeSpan wait, int maxBytes)
    {
        if (_stream is System.Net.Sockets.NetworkStream network)
        {
            try
            {
                network.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
                using var timeout = new CancellationTokenSource(wait);
                var scratch = new byte[16 << 10];
                for (var drained = 0; drained < maxBytes;)
                {
                    var read = await network.ReadAsync(scratch, timeout.Token).ConfigureAwait(false);
                    if (read == 0) break;
                    drained += read;
                }
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException or ObjectDisposedException) { }
        }
        Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void ThrowIfClosed()
    {
        if (_closed) throw Closed(null);
    }

    private static DreamException Closed(Exception? inner) =>
        new(SecureChannelErrors.ChannelClosed, DreamErrorKind.InvalidOperation, "The secure connection is closed or has failed; open a new one.", inner);
}
