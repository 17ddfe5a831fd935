using System.Text.Json;

namespace Dreamwell.Node;

/// <summary>
/// What happens to a peer that breaks the rules (docs/protocol.md, "Trust and ShardBlade"). The caller has already
/// closed the offending link; ShardBlade quarantines (growing back-off, persisted), freezes the peer's trust at 0,
/// closes its other links and appends an audit entry to this node's seal chain.
/// <para>
/// Evidence that came through the authenticated channel (a signed message, a violation inside decrypted traffic, a
/// proven key that is not the one expected) can only come from the key holder: the QuantumId is quarantined. Bytes
/// that did not authenticate (a frame failing AEAD, a broken handshake) may come from anyone on the path, so they
/// count against the sender's host instead: <see cref="AddressStrikeThreshold"/> of them within
/// <see cref="AddressStrikeWindow"/> quarantine the host. Before a key is proven only that host quarantine is
/// audited, so that an unauthenticated sender cannot make this node write its chain at will; on a link with a known
/// key the failure is audited with that QuantumId for context. Delegation refusals are policy, not misbehaviour:
/// audited, never quarantined.
/// </para>
/// </summary>
internal sealed class ShardBlade
{
    public const string Operation = "shardblade";
    public const int AddressStrikeThreshold = 5;
    public static readonly TimeSpan AddressStrikeWindow = TimeSpan.FromMinutes(1);
    /// <summary>Audit entries per minute at most; beyond that quarantines still apply and the next entry counts what was left out.</summary>
    public const int AuditBudgetPerMinute = 30;
    private const int MaxCountedHosts = 256;
    private const int MaxMessageChars = 512;

    private readonly TesseractNode _node;
    private readonly TimeProvider _clock;
    private readonly object _gate = new();
    private readonly Dictionary<string, (int Count, DateTimeOffset First)> _hostStrikes = new(StringComparer.OrdinalIgnoreCase);
    private readonly Queue<DateTimeOffset> _recentAudits = new();
    private int _suppressed;

    public ShardBlade(TesseractNode node, Quarantine quarantine, TrustLedger trust, TimeProvider clock)
    {
        _node = node;
        Quarantine = quarantine;
        Trust = trust;
        _clock = clock;
    }

    public Quarantine Quarantine { get; }
    public TrustLedger Trust { get; }

    /// <summary>Writes held-back quarantine and trust changes (the node stops).</summary>
    public void Flush()
    {
        Quarantine.Flush();
        Trust.Flush();
    }

    /// <summary>Throws PeerQuarantined while the peer (or, for a non-friend, its host) is quarantined.</summary>
    public void Admit(string quantumId, string address)
    {
        var now = _clock.GetUtcNow();
        var byPeer = Quarantine.PeerQuarantine(quantumId, now);
        // A friend proves its key; a NAT or machine it shares with a misbehaving host does not lock it out.
        var byHost = byPeer is null && Quarantine.AddressQuarantine(HostOf(address), now) is { } host && !_node.Friends.IsFriend(quantumId) ? host : null;
        if ((byPeer ?? byHost) is not { } entry) return;
        var who = byPeer is not null ? $"Peer {quantumId}" : $"Host {entry.Key}";
        throw new DreamException(TesseractErrors.PeerQuarantined, DreamErrorKind.PermissionDenied,
            $"{who} is quarantined by ShardBlade until {entry.Until.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z ({entry.Reason}, strike {entry.Strikes}).");
    }

    /// <summary>Never throws: it runs in the error path of a link, and a full disk must not take the node down.</summary>
    public void Strike(string? quantumId, string address, string errorId, string message)
    {
        try
        {
            StrikeOrThrow(quantumId, address, errorId, message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DreamException)
        {
            // The quarantine is already in force in memory; only writing it down failed.
            _node.Raise("ShardBladeFailed", quantumId, address, $"Could not record a {ShardBladeReasons.Classify(errorId)} strike: {e.Message}");
        }
    }

    private void StrikeOrThrow(string? quantumId, string address, string errorId, string message)
    {
        var reason = ShardBladeReasons.Classify(errorId);
        var now = _clock.GetUtcNow();
        var attributable = quantumId is not null && ShardBladeReasons.IsAttributable(errorId);
        var quarantines = ShardBladeReasons.Quarantines(reason);
        lock (_gate)
        {
            QuarantineEntry? entry = null;
            if (!quarantines)
            {
                // Refused by policy: audited below, held against neither the key nor the host.
            }
            else if (attributable)
            {
                entry = Quarantine.StrikePeer(quantumId!, reason, now);
                Trust.Freeze(quantumId!, entry.Until);
            }
            else if (CountHostStrike(HostOf(address), now))
            {
                entry = Quarantine.StrikeAddress(HostOf(address), reason, now);
            }
            var index = entry is not null || quantumId is not null ? Audit(quantumId, address, reason, errorId, message, entry, now) : null;
            var outcome = entry is null
                ? quarantines ? $"not quarantined (strike counted against host {HostOf(address)})" : "refused by policy, not quarantined"
                : $"{(entry.Key.Equals(quantumId, StringComparison.OrdinalIgnoreCase) ? "peer" : $"host {entry.Key}")} quarantined until {entry.Until.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z (strike {entry.Strikes})";
            _node.Raise("ShardBlade", quantumId, address, $"{reason} ({errorId}): {Truncate(message)} → {outcome}{(index is { } i ? $"; audit entry {i}" : "")}.");
        }
        if (attributable && quarantines) CloseOtherLinks(quantumId!, address);
    }

    /// <summary>Counts an unauthenticated strike; true when the host has just reached the threshold.</summary>
    private bool CountHostStrike(string host, DateTimeOffset now)
    {
        if (_hostStrikes.TryGetValue(host, out var seen) && now - seen.First <= AddressStrikeWindow)
            seen = (seen.Count + 1, seen.First);
        else
            seen = (1, now);
        if (!_hostStrikes.ContainsKey(host) && _hostStrikes.Count >= MaxCountedHosts)
            _hostStrikes.Remove(_hostStrikes.MinBy(h => h.Value.First).Key);
        if (seen.Count >= AddressStrikeThreshold)
        {
            _hostStrikes.Remove(host);
            return true;
        }
        _hostStrikes[host] = seen;
        return false;
    }

    private long? Audit(string? quantumId, string address, string reason, string errorId, string message, QuarantineEntry? entry, DateTimeOffset now)
    {
        while (_recentAudits.Count > 0 && now - _recentAudits.Peek() >= TimeSpan.FromMinutes(1)) _recentAudits.Dequeue();
        if (_recentAudits.Count >= AuditBudgetPerMinute)
        {
            _suppressed++;
            return null;
        }
        var payload = JsonSerializer.Serialize(new ShardBladeAudit(
            1, quantumId, address, reason, errorId, Truncate(message), entry?.Strikes ?? 0,
            entry?.Until.ToUniversalTime(), entry is null ? null : quantumId is not null && entry.Key.Equals(quantumId, StringComparison.OrdinalIgnoreCase) ? "peer" : "host",
            _suppressed), ShardBladeAudit.Json);
        try
        {
            var sealed_ = _node.AppendToChain(Operation, [], payload);
            _recentAudits.Enqueue(now);
            _suppressed = 0;
            return sealed_.Index;
        }
        catch (Exception e) when (e is DreamException or IOException or UnauthorizedAccessException)
        {
            _node.Raise("AuditFailed", quantumId, address, $"The ShardBlade audit entry could not be appended: {e.Message}");
            return null;
        }
    }

    private void CloseOtherLinks(string quantumId, string address)
    {
        foreach (var link in _node.OpenLinks())
            if (link.QuantumId.Equals(quantumId, StringComparison.OrdinalIgnoreCase) && link.Address != address)
                _ = link.DisconnectAsync($"{TesseractErrors.PeerQuarantined}: ShardBlade quarantined this peer.");
    }

    /// <summary>The host part of host:port ("[::1]:9618" → "::1"); the quarantine key when no key was proven.</summary>
    internal static string HostOf(string address)
    {
        var text = address.Trim();
        var colon = text.LastIndexOf(':');
        if (colon > 0 && (text.StartsWith('[') ? text[colon - 1] == ']' : text.IndexOf(':') == colon)) text = text[..colon];
        return text.Trim('[', ']');
    }

    private static string Truncate(string text) => text.Length <= MaxMessageChars ? text : text[..MaxMessageChars] + "…";
}
