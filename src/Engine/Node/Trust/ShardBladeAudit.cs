using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dreamwell.Node;

/// <summary>
/// The payload of a "shardblade" seal-chain entry (compact JSON, camelCase, v = 1). quantumId is null when no key was
/// proven; scope is "peer" (the QuantumId is quarantined), "host" (the host part of address is) or null (audited, not
/// quarantined); suppressed counts events left unaudited by the audit budget since the previous entry.
/// </summary>
public sealed record ShardBladeAudit(
    int V,
    string? QuantumId,
    string Address,
    string Reason,
    string ErrorId,
    string Message,
    int Strikes,
    DateTimeOffset? QuarantinedUntil,
    string? Scope,
    int Suppressed)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };
}
