namespace Dreamwell.Sync;

/// <summary>A portal as Get-Portal shows it. Key is only filled for the owner when asked for (New-Portal, Get-Portal -IncludeKey).</summary>
public sealed record DreamPortal(
    string Name,
    string ShortId,
    string Role,
    string Path,
    string OwnerQuantumId,
    int Members,
    DateTimeOffset Created,
    string Id,
    string? Key)
{
    public static DreamPortal From(PortalRecord record, bool includeKey) =>
        new(record.Name, record.ShortId, record.Role, record.Path, record.OwnerQuantumId, record.Members.Count, record.Created, record.Id, includeKey ? record.Key : null);
}
