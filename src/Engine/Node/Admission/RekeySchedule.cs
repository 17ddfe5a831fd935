using System.Diagnostics;
using System.Text.Json;
using Dreamwell.Node.Secure;

namespace Dreamwell.Node.Admission;

/// <summary>
/// One link's rekeying. The sender of a {"type":"rekey","sequence":n} message switches its outbound key right
/// after that message (under the same send lock, so nothing slips in between); the receiver switches its inbound
/// key right after reading it. n counts the sender's rekeys on this link from 0.
/// </summary>
internal sealed class RekeySchedule
{
    public const string MessageType = "rekey";

    private readonly RekeyOptions _options;
    private readonly SecureConnection _connection;
    private readonly Stopwatch _sinceOutbound = Stopwatch.StartNew();
    private readonly Stopwatch _sinceInbound = Stopwatch.StartNew();
    private long _sentAtRekey;
    private long _receivedAtRekey;
    private long _outboundRekeys;
    private long _inboundRekeys;
    private int _rekeying;

    public RekeySchedule(RekeyOptions options, SecureConnection connection)
    {
        _options = options;
        _connection = connection;
    }

    public long OutboundRekeys => Interlocked.Read(ref _outboundRekeys);
    public long InboundRekeys => Interlocked.Read(ref _inboundRekeys);

    /// <summary>Rekeys the outbound direction when the message count or the time says so; a no-op otherwise.</summary>
    public async Task MaybeRekeyAsync(CancellationToken cancellationToken)
    {
        if (_connection.MessagesSent - Interlocked.Read(ref _sentAtRekey) < _options.AfterMessages && _sinceOutbound.Elapsed < _options.AfterTime) return;
        if (Interlocked.Exchange(ref _rekeying, 1) == 1) return;
        try
        {
            var message = JsonSerializer.SerializeToUtf8Bytes(new { type = MessageType, sequence = _outboundRekeys });
            await _connection.SendThenRekeyOutboundAsync(message, cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _sentAtRekey, _connection.MessagesSent);
            Interlocked.Increment(ref _outboundRekeys);
            _sinceOutbound.Restart();
        }
        finally
        {
            Volatile.Write(ref _rekeying, 0);
        }
    }

    /// <summary>Throws a protocol violation when the peer has gone past the hard limit without rekeying.</summary>
    public void CheckInbound()
    {
        var messages = _connection.MessagesReceived - _receivedAtRekey;
        if (messages > _options.HardMessages)
            throw FqtpMessages.Violation($"The peer sent {messages} messages without rekeying (the limit is {_options.HardMessages}).");
        if (_sinceInbound.Elapsed > _options.HardTime)
            throw FqtpMessages.Violation($"The peer has not rekeyed for {_sinceInbound.Elapsed.TotalSeconds:0} s (the limit is {_options.HardTime.TotalSeconds:0} s).");
    }

    /// <summary>Called for a received rekey message, before the next receive: switches the inbound key.</summary>
    public void Received(JsonElement body)
    {
        if (!body.TryGetProperty("sequence", out var s) || !s.TryGetInt64(out var sequence) || sequence != _inboundRekeys)
            throw FqtpMessages.Violation($"A rekey must carry sequence {_inboundRekeys}.");
        _connection.RekeyInbound();
        _receivedAtRekey = _connection.MessagesReceived;
        Interlocked.Increment(ref _inboundRekeys);
        _sinceInbound.Restart();
    }
}
