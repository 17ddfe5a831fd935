using Dreamwell.Identity;
using Dreamwell.Node.Admission;
using Dreamwell.Node.Secure;

namespace Dreamwell.Node;

/// <summary>
/// One FQTP link over an established secure connection: hello exchange, then heartbeats both ways until
/// either side closes, goes silent, or breaks the protocol. Every failure ends this link only.
/// </summary>
internal sealed class PeerLink
{
    private readonly SecureConnection _connection;
    private readonly TesseractNode _node;
    private readonly byte[] _handshakeHash;
    private readonly object _gate = new();
    private long _lastSequence = -1;
    private readonly TokenBucket _inboundRate;
    private readonly RekeySchedule _rekey;

    public PeerLink(TesseractNode node, SecureConnection connection, string address, bool outbound)
    {
        _node = node;
        _connection = connection;
        _handshakeHash = connection.HandshakeHash;
        Address = address;
        Direction = outbound ? "Outbound" : "Inbound";
        QuantumId = DreamIdentity.QuantumIdOf(connection.RemoteEd25519Key);
        Label = QuantumId;
        _inboundRate = node.Load.NewPeerBucket();
        _rekey = new RekeySchedule(node.Options.Rekey, connection);
    }

    /// <summary>How often each direction of this link has been rekeyed.</summary>
    public (long Outbound, long Inbound) Rekeys => (_rekey.OutboundRekeys, _rekey.InboundRekeys);

    public string QuantumId { get; }
    public string Address { get; }
    public string Direction { get; }
    public string Label { get; private set; }
    public string State { get; private set; } = PeerStates.Handshaking;
    public DateTimeOffset? LastSeen { get; private set; }
    public long ChainLength { get; private set; }
    public string HeadHash { get; private set; } = new('0', 64);
    public long Heartbeats { get; private set; }
    public string? Reason { get; private set; }

    /// <summary>The peer's Ed25519 identity key, proven in the handshake.</summary>
    public byte[] RemoteKey => _connection.RemoteEd25519Key;

    /// <summary>The identity kind the peer's hello declared (Human, Agent, Service).</summary>
    public string Kind { get; private set; } = "";

    /// <summary>An Agent peer's verified delegation certificate (null for Human and Service peers).</summary>
    public DelegationCertificate? Delegation { get; private set; }

    /// <summary>For an Agent peer, the QuantumId of the Human who delegated it: whose trust (friendship) the agent acts under.</summary>
    public string? DelegatedBy => Delegation?.DelegatedBy;

    /// <summary>The node this link belongs to (services reach the store, friends and settings through it).</summary>
    public TesseractNode Node => _node;

    public bool IsOpen => State == PeerStates.Connected;

    /// <summary>Sends one FQTP message or binary frame on this link; concurrent sends are serialized.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        await _connection.SendAsync(message, cancellationToken).ConfigureAwait(false);
        await _rekey.MaybeRekeyAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Throws unless the peer may ask for <paramref name="scope"/> (Observe, Send…). Every service calls this on
    /// every request: a Human or Service identity has every scope; an Agent only what its delegation grants, until it expires.
    /// </summary>
    public void RequireScope(string scope) => PeerDelegation.Require(_node, Kind, Delegation, RemoteKey, scope);

    public TesseractPeer Snapshot()
    {
        lock (_gate) return new TesseractPeer(Label, QuantumId, State, Direction, Address, LastSeen, ChainLength, HeadHash, Heartbeats, Reason,
            Kind, DelegatedBy, Delegation is null ? null : DelegationScope.Describe(Delegation.Scopes), Delegation?.Expires, _node.Trust.Read(QuantumId));
    }

    /// <summary>
    /// The dialer sends its hello first; the listener checks (and pins) it before answering with its own, so a
    /// refusal by the listener reaches the dialer as an error instead of a hello.
    /// </summary>
    public async Task ExchangeHellosAsync(CancellationToken cancellationToken)
    {
        if (Direction == "Outbound")
        {
            await SendHelloAsync(cancellationToken).ConfigureAwait(false);
            await ReceiveHelloAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await ReceiveHelloAsync(cancellationToken).ConfigureAwait(false);
            await SendHelloAsync(cancellationToken).ConfigureAwait(false);
        }
        lock (_gate) State = PeerStates.Connected;
        _node.Raise("Hello", QuantumId, Address, _pinnedNow ? $"{Label} connected; key pinned on first use." : $"{Label} connected; pinned key matches.");
    }

    private bool _pinnedNow;

    private async Task SendHelloAsync(CancellationToken cancellationToken)
    {
        var (length, head) = _node.ChainHead();
        var delegation = PeerDelegation.OwnCertificate(_node);
        var hello = FqtpMessages.EncodeHello(_node.Sign, _handshakeHash, _node.Name, _node.QuantumId, _node.Kind, length, head, delegation);
        await _connection.SendAsync(hello, cancellationToken).ConfigureAwait(false);
    }

    private async Task ReceiveHelloAsync(CancellationToken cancellationToken)
    {
        var message = await _connection.ReceiveAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new DreamException(TesseractErrors.PeerRefused, DreamErrorKind.ResourceUnavailable, "The peer closed the link before its hello.");
        var (type, body) = FqtpMessages.Parse(message);
        if (type == FqtpMessages.Error)
            throw new DreamException(TesseractErrors.PeerRefused, DreamErrorKind.PermissionDenied, $"The peer refused the link: {Describe(body)}");
        if (type != FqtpMessages.Hello) throw FqtpMessages.Violation($"Expected a hello first, got '{Truncate(type)}'.");
        var peerHello = FqtpMessages.ReadHello(body, _connection.RemoteEd25519Key, _handshakeHash, _node.Options.Clock.GetUtcNow());
        if (peerHello.QuantumId == _node.QuantumId)
            throw new DreamException(TesseractErrors.PeerRefused, DreamErrorKind.InvalidOperation, "That address is this node (or another node with the same identity); a node does not link to itself.");
        PeerDelegation.CheckHello(_node, peerHello, _connection.RemoteEd25519Key);
        _pinnedNow = _node.KnownPeers.CheckOrPin(_connection.RemoteEd25519Key, peerHello.Name);
        lock (_gate)
        {
            Label = peerHello.Name.Length > 0 ? peerHello.Name : QuantumId;
            Kind = peerHello.Kind;
            Delegation = peerHello.Delegation;
            ChainLength = peerHello.ChainLength;
            HeadHash = peerHello.HeadHash;
            LastSeen = DateTimeOffset.UtcNow;
        }
    }

    /// <summary>Runs heartbeats and the receive loop until the link ends; never throws.</summary>
    public async Task RunAsync(CancellationToken nodeStopping)
    {
        using var linkEnd = CancellationTokenSource.CreateLinkedTokenSource(nodeStopping);
        _linkEnd = linkEnd;
        _node.LinkUp(this);
        var heartbeats = SendHeartbeatsAsync(linkEnd.Token);
        string reason;
        var errorSent = false;
        try
        {
            reason = await ReceiveLoopAsync(linkEnd.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (nodeStopping.IsCancellationRequested)
        {
            reason = "The node stopped.";
            await TrySendAsync(FqtpMessages.EncodeBye(reason)).ConfigureAwait(false);
        }
        catch (DreamException e) when (e.ErrorId is TesseractErrors.UnsupportedVersion or AdmissionErrors.RateAbuse || ShardBladeReasons.IsLinkMisbehaviour(e.ErrorId) || DelegationErrors.IsPeerRefusal(e.ErrorId))
        {
            // Nonces only move forward, so a replayed, reordered or tampered frame cannot authenticate.
            reason = e.ErrorId == SecureChannelErrors.DecryptFailed ? $"A frame failed authentication (replayed, reordered or tampered): {e.Message}" : e.Message;
            await TrySendAsync(FqtpMessages.EncodeError(e.ErrorId, e.Message)).ConfigureAwait(false);
            errorSent = true;
            if (e.ErrorId != TesseractErrors.UnsupportedVersion) _node.Misbehaved(QuantumId, Address, e.ErrorId, reason);
        }
        catch (Exception e) when (e is DreamException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            reason = e is OperationCanceledException ? "The peer went silent." : e.Message;
        }
        catch (Exception e)
        {
            // Whatever a peer manages to provoke ends its own link, never the node.
            reason = $"Unexpected failure: {e.GetType().Name}: {e.Message}";
        }
        linkEnd.Cancel();
        try { await heartbeats.ConfigureAwait(false); } catch (Exception) { /* the link is over either way */ }
        if (errorSent) await _connection.CloseAfterLastSendAsync(TimeSpan.FromSeconds(1), 1 << 20).ConfigureAwait(false); // the peer gets to read why
        else _connection.Dispose();
        lock (_gate)
        {
            State = PeerStates.Closed;
            Reason = _closeReason ?? reason;
        }
        _linkEnd = null;
        _node.LinkDown(this, Reason!);
        _node.Raise("LinkClosed", QuantumId, Address, $"{Label}: {Reason}");
    }

    public void MarkRefused(string? reason)
    {
        lock (_gate)
        {
            State = PeerStates.Refused;
            Reason = reason;
        }
    }

    public void Close(string reason)
    {
        lock (_gate) Reason ??= reason;
        _connection.Dispose();
    }

    private CancellationTokenSource? _linkEnd;
    private string? _closeReason;

    /// <summary>Ends a running link from our side (Disconnect-Tesseract, ShardBlade), telling the peer why.</summary>
    public async Task DisconnectAsync(string reason)
    {
        lock (_gate) _closeReason ??= reason;
        await TrySendAsync(FqtpMessages.EncodeBye(reason)).ConfigureAwait(false);
        try { _linkEnd?.Cancel(); } catch (ObjectDisposedException) { }
        _connection.Dispose();
    }

    private async Task<string> ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            using var silence = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            silence.CancelAfter(_node.Options.EffectiveSilenceTimeout);
            var message = await _connection.ReceiveAsync(silence.Token).ConfigureAwait(false);
            if (message is null) return "The peer closed the connection.";
            if (!_inboundRate.TryTake()) throw LoadGuard.RateAbuse(_node.Options.Load.PeerMessagesPerSecond, _node.Options.Load.PeerMessageBurst);
            _rekey.CheckInbound();
            if (message.Length > 0 && message[0] != (byte)'{')
            {
                var frameService = _node.ServiceForFrame(message[0])
                    ?? throw FqtpMessages.Violation($"Unknown binary frame kind 0x{message[0]:x2}.");
                await frameService.OnFrameAsync(this, message, cancellationToken).ConfigureAwait(false);
                continue;
            }
            var (type, body) = FqtpMessages.Parse(message);
            switch (type)
            {
                case FqtpMessages.Heartbeat:
                    Accept(FqtpMessages.ReadHeartbeat(body, _connection.RemoteEd25519Key, _handshakeHash));
                    if (PeerDelegation.Lapsed(_node, Delegation, RemoteKey) is { } lapsed)
                    {
                        await TrySendAsync(FqtpMessages.EncodeError(lapsed.ErrorId, lapsed.Message)).ConfigureAwait(false);
                        return lapsed.Message;
                    }
                    break;
                case FqtpMessages.Bye:
                    return $"The peer said goodbye: {Describe(body)}";
                case FqtpMessages.Error:
                    return $"The peer reported an error: {Describe(body)}";
                case FqtpMessages.Hello:
                    throw FqtpMessages.Violation("A second hello on one link.");
                case RekeySchedule.MessageType:
                    _rekey.Received(body);
                    break;
                default:
                    var service = _node.ServiceForMessage(type)
                        ?? throw FqtpMessages.Violation($"Unknown message type '{Truncate(type)}'.");
                    await service.OnMessageAsync(this, type, body, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    private void Accept(FqtpHeartbeat heartbeat)
    {
        lock (_gate)
        {
            if (heartbeat.Sequence <= _lastSequence)
                throw new DreamException(TesseractErrors.Replay, DreamErrorKind.SecurityError, $"Heartbeat {heartbeat.Sequence} repeats or goes back (last was {_lastSequence}): a replay.");
            if (heartbeat.ChainLength < ChainLength || (heartbeat.ChainLength == ChainLength && heartbeat.HeadHash != HeadHash))
                throw new DreamException(TesseractErrors.ChainFork, DreamErrorKind.SecurityError, $"The peer's seal chain went from {ChainLength} entries ({HeadHash[..16]}…) to {heartbeat.ChainLength} ({heartbeat.HeadHash[..16]}…): a fork or a rollback.");
            _node.Trust.Heartbeat(QuantumId);
            _lastSequence = heartbeat.Sequence;
            ChainLength = heartbeat.ChainLength;
            HeadHash = heartbeat.HeadHash;
            LastSeen = DateTimeOffset.UtcNow;
            Heartbeats++;
        }
        _node.Raise("Heartbeat", QuantumId, Address, $"{Label}: heartbeat {heartbeat.Sequence}, chain {heartbeat.ChainLength}.");
    }

    private async Task SendHeartbeatsAsync(CancellationToken cancellationToken)
    {
        long sequence = 0;
        using var timer = new PeriodicTimer(_node.Options.HeartbeatInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            var (length, head) = _node.ChainHead();
            var beat = FqtpMessages.EncodeHeartbeat(_node.Sign, _handshakeHash, sequence++, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), length, head);
            await SendAsync(beat, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task TrySendAsync(byte[] message)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await _connection.SendAsync(message, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DreamException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // Best effort: the link is ending anyway.
        }
    }

    private static string Describe(System.Text.Json.JsonElement body)
    {
        string? Member(string name) => body.TryGetProperty(name, out var v) && v.ValueKind == System.Text.Json.JsonValueKind.String ? v.GetString() : null;
        if (Member("code") is { } code && Member("message") is { } text) return $"{Truncate(code)}: {Truncate(text, 300)}";
        foreach (var name in new[] { "message", "reason", "code" })
            if (body.TryGetProperty(name, out var v) && v.ValueKind == System.Text.Json.JsonValueKind.String)
                return Truncate(v.GetString()!);
        return "(no reason given)";
    }

    private static string Truncate(string text, int max = 80) => text.Length <= max ? text : text[..max] + "…";
}
