namespace Dreamwell.Node.Noise;

/// <summary>
/// Noise HandshakeState (section 5.3). Runs one handshake pattern message by message; when the last
/// message is written or read, <see cref="Result"/> holds the transport CipherStates.
/// </summary>
public sealed class HandshakeState : IDisposable
{
    private readonly NoiseProtocol _protocol;
    private readonly SymmetricState _symmetric;
    private readonly NoiseKeyPair? _localStatic;
    private NoiseKeyPair? _localEphemeral;
    private byte[]? _remoteStatic;
    private byte[]? _remoteEphemeral;
    private int _messageIndex;
    private bool _failed;

    /// <param name="localEphemeral">Pre-set ephemeral key, for test vectors only; otherwise generated on use.
    /// The handshake takes ownership of it. <paramref name="localStatic"/> stays the caller's.</param>
    public HandshakeState(
        NoiseProtocol protocol,
        bool initiator,
        ReadOnlySpan<byte> prologue,
        NoiseKeyPair? localStatic = null,
        ReadOnlySpan<byte> remoteStatic = default,
        NoiseKeyPair? localEphemeral = null)
    {
        _protocol = protocol;
        IsInitiator = initiator;
        _localStatic = localStatic;
        _localEphemeral = localEphemeral;
        _remoteStatic = remoteStatic.IsEmpty ? null : remoteStatic.ToArray();
        if (_remoteStatic is not null && _remoteStatic.Length != NoiseLimits.DhLength)
            throw new DreamException("NoiseBadKey", DreamErrorKind.InvalidArgument, "A remote static key is 32 bytes.");

        var pattern = protocol.Pattern;
        if ((initiator ? pattern.InitiatorNeedsStatic : pattern.ResponderNeedsStatic) && localStatic is null)
            throw NoiseErrors.State($"Pattern {pattern.Name} needs a local static key.");

        _symmetric = new SymmetricState(protocol.Name, protocol.Hash);
        _symmetric.MixHash(prologue);
        MixPreMessage(pattern.InitiatorPreMessage, fromInitiator: true);
        MixPreMessage(pattern.ResponderPreMessage, fromInitiator: false);
    }

    public bool IsInitiator { get; }

    /// <summary>True once every handshake message has been processed.</summary>
    public bool IsComplete => Result is not null;

    /// <summary>True when the next handshake message is ours to write.</summary>
    public bool IsMyTurn => !IsComplete && (_messageIndex % 2 == 0) == IsInitiator;

    /// <summary>The remote static public key, once known.</summary>
    public byte[]? RemoteStaticKey => _remoteStatic?.ToArray();

    public byte[] HandshakeHash => _symmetric.HandshakeHash;

    public NoiseTransport? Result { get; private set; }

    /// <summary>Any failure leaves h and ck mid-update, so a failed handshake cannot be continued.</summary>
    public byte[] WriteMessage(ReadOnlySpan<byte> payload)
    {
        ThrowIfFailed();
        try
        {
            return Write(payload);
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    public byte[] ReadMessage(ReadOnlySpan<byte> message)
    {
        ThrowIfFailed();
        try
        {
            return Read(message);
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    private void ThrowIfFailed()
    {
        if (_failed) throw NoiseErrors.State("This handshake already failed; start a new one.");
    }

    private byte[] Write(ReadOnlySpan<byte> payload)
    {
        if (!IsMyTurn) throw NoiseErrors.State("It is not this side's turn to write a handshake message.");
        var output = new List<byte>(NoiseLimits.DhLength * 2 + payload.Length + NoiseLimits.TagLength * 2);
        foreach (var token in _protocol.Pattern.Messages[_messageIndex])
        {
            switch (token)
            {
                case NoiseToken.E:
                    _localEphemeral ??= NoiseKeyPair.Generate();
                    output.AddRange(_localEphemeral.PublicKey);
                    _symmetric.MixHash(_localEphemeral.PublicKey);
                    break;
                case NoiseToken.S:
                    output.AddRange(_symmetric.EncryptAndHash(_localStatic!.PublicKey));
                    break;
                default:
                    MixDh(token);
                    break;
            }
        }
        output.AddRange(_symmetric.EncryptAndHash(payload));
        if (output.Count > NoiseLimits.MaxMessageLength)
            throw new DreamException(NoiseErrors.MessageTooLarge, DreamErrorKind.LimitExceeded, $"A Noise message may not exceed {NoiseLimits.MaxMessageLength} bytes.");
        Advance();
        return output.ToArray();
    }

    private byte[] Read(ReadOnlySpan<byte> message)
    {
        if (IsComplete || IsMyTurn) throw NoiseErrors.State("No handshake message is expected from the peer now.");
        if (message.Length > NoiseLimits.MaxMessageLength)
            throw new DreamException(NoiseErrors.MessageTooLarge, DreamErrorKind.LimitExceeded, $"A Noise message may not exceed {NoiseLimits.MaxMessageLength} bytes.");
        var rest = message;
        foreach (var token in _protocol.Pattern.Messages[_messageIndex])
        {
            switch (token)
            {
                case NoiseToken.E:
                    if (rest.Length < NoiseLimits.DhLength) throw NoiseErrors.Malformed("too short for an ephemeral key");
                    _remoteEphemeral = rest[..NoiseLimits.DhLength].ToArray();
                    rest = rest[NoiseLimits.DhLength..];
                    _symmetric.MixHash(_remoteEphemeral);
                    break;
                case NoiseToken.S:
                    var length = NoiseLimits.DhLength + (_symmetric.Cipher.HasKey ? NoiseLimits.TagLength : 0);
                    if (rest.Length < length) throw NoiseErrors.Malformed("too short for a static key");
                    _remoteStatic = _symmetric.DecryptAndHash(rest[..length]);
                    rest = rest[length..];
                    break;
                default:
                    MixDh(token);
                    break;
            }
        }
        var payload = _symmetric.DecryptAndHash(rest);
        Advance();
        return payload;
    }

    public void Dispose()
    {
        _symmetric.Dispose();
        _localEphemeral?.Dispose();
    }

    private void MixPreMessage(IReadOnlyList<NoiseToken> tokens, bool fromInitiator)
    {
        foreach (var token in tokens)
        {
            if (token != NoiseToken.S) throw NoiseErrors.State("Only static keys appear in pre-messages here.");
            var mine = fromInitiator == IsInitiator;
            var key = mine ? _localStatic?.PublicKey : _remoteStatic;
            if (key is null)
                throw NoiseErrors.State($"Pattern {_protocol.Pattern.Name} needs the {(mine ? "local" : "remote")} static key before the handshake.");
            _symmetric.MixHash(key);
        }
    }

    private void MixDh(NoiseToken token)
    {
        // es = DH(initiator ephemeral, responder static); se = DH(initiator static, responder ephemeral).
        var (local, remote) = token switch
        {
            NoiseToken.EE => (_localEphemeral, _remoteEphemeral),
            NoiseToken.SS => (_localStatic, _remoteStatic),
            NoiseToken.ES => IsInitiator ? (_localEphemeral, _remoteStatic) : (_localStatic, _remoteEphemeral),
            NoiseToken.SE => IsInitiator ? (_localStatic, _remoteEphemeral) : (_localEphemeral, _remoteStatic),
            _ => throw NoiseErrors.State($"Unexpected token {token}."),
        };
        if (local is null || remote is null) throw NoiseErrors.State($"Token {token} needs a key that is not known yet.");
        var shared = local.Agree(remote);
        _symmetric.MixKey(shared);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(shared);
    }

    private void Advance()
    {
        _messageIndex++;
        if (_messageIndex < _protocol.Pattern.Messages.Count) return;
        var (first, second) = _symmetric.Split();
        Result = IsInitiator
            ? new NoiseTransport(send: first, receive: second, _symmetric.HandshakeHash, _protocol.Pattern.IsOneWay)
            : new NoiseTransport(send: second, receive: first, _symmetric.HandshakeHash, _protocol.Pattern.IsOneWay);
    }
}
