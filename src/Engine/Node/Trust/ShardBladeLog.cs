using System.Text.Json;
using Dreamwell.Chain;

namespace Dreamwell.Node;

/// <summary>One ShardBlade audit entry as Get-ShardBladeEvent shows it.</summary>
public sealed record ShardBladeEvent(
    DateTimeOffset Time,
    string? QuantumId,
    string Address,
    string Reason,
    string Message,
    DateTimeOffset? QuarantinedUntil,
    long ChainIndex,
    string ErrorId,
    int Strikes);

/// <summary>Reads ShardBlade events from a home's seal chain (no running node needed), verifying the chain first.</summary>
public static class ShardBladeLog
{
    public static IReadOnlyList<ShardBladeEvent> Read(DreamHome home, string? quantumId = null, DateTimeOffset? since = null)
    {
        if (!File.Exists(home.ChainFile)) return [];
        IReadOnlyList<SealEntry> entries;
        ChainVerdict verdict;
        // Under the chain lock, so a read never sees an append half-written.
        using (ChainLock.Acquire(home))
        {
            verdict = SealChain.Verify(home);
            entries = verdict.IsValid ? SealChain.Read(home) : [];
        }
        if (!verdict.IsValid)
            throw new DreamException("ChainBroken", DreamErrorKind.InvalidData,
                $"The seal chain is damaged at index {verdict.FirstBadIndex} ({verdict.Problem}): {verdict.Detail} Run Test-SealChain; no event was read from an unverified chain.");
        var events = new List<ShardBladeEvent>();
        foreach (var entry in entries)
        {
            if (entry.Operation != ShardBlade.Operation) continue;
            if (since is { } from && entry.Time < from) continue;
            var parsed = Parse(entry);
            if (quantumId is not null && !quantumId.Equals(parsed.QuantumId, StringComparison.OrdinalIgnoreCase)) continue;
            events.Add(parsed);
        }
        return events;
    }

    private static ShardBladeEvent Parse(SealEntry entry)
    {
        ShardBladeAudit? audit = null;
        try { audit = JsonSerializer.Deserialize<ShardBladeAudit>(entry.Payload, ShardBladeAudit.Json); }
        catch (JsonException) { /* signed by us but unreadable: shown as such rather than hidden */ }
        return audit is null
            ? new ShardBladeEvent(entry.Time, null, "", "Unreadable", entry.Payload.Length > 200 ? entry.Payload[..200] + "…" : entry.Payload, null, entry.Index, "", 0)
            : new ShardBladeEvent(entry.Time, audit.QuantumId, audit.Address ?? "", audit.Reason ?? "", audit.Message ?? "", audit.QuarantinedUntil, entry.Index, audit.ErrorId ?? "", audit.Strikes);
    }
}
