using Dreamwell.Identity;
using Dreamwell.Node;

namespace Dreamwell.Sync;

/// <summary>What New-Portal, Connect-Portal, Get-Portal and Remove-Portal do, without PowerShell.</summary>
public static class Portals
{
    /// <summary>
    /// Shares a folder: a new portal owned by this home's identity, its key naming the addresses of the running node
    /// (or the default peer port when none runs yet).
    /// </summary>
    public static PortalRecord Open(DreamHome home, string folder, string? name, IEnumerable<string>? addresses = null)
    {
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
            throw new DreamException(SyncErrors.FolderMissing, DreamErrorKind.NotFound, $"'{full}' is not a folder.");
        using var signer = IdentityAccess.OpenOrCreateSigner(home, out _);
        var dial = addresses?.ToList() is { Count: > 0 } given ? given : DefaultAddresses(home);
        var key = ShareKey.Create(ShareKind.Portal, signer.Identity.PublicKey, dial);
        var record = new PortalRecord(key.ShareIdHex, CleanName(name, full), full, PortalRecord.Owner, key.ToString(), signer.Identity.QuantumId, [], DateTimeOffset.UtcNow);
        return new PortalRegistry(home).Add(record);
    }

    /// <summary>Joins a portal by its key into a local folder (created when missing).</summary>
    public static PortalRecord Join(DreamHome home, string keyText, string folder, string? name)
    {
        var key = ShareKey.Parse(keyText);
        if (key.Kind != ShareKind.Portal)
            throw new DreamException(SyncErrors.BadPortalKey, DreamErrorKind.InvalidArgument, "That is a signal key (dws1.); use Join-Signal for signals.");
        using var signer = IdentityAccess.OpenOrCreateSigner(home, out _);
        if (key.OwnerQuantumId == signer.Identity.QuantumId)
            throw new DreamException("PortalOwnKey", DreamErrorKind.InvalidOperation, "That portal key is this identity's own portal; give it to a friend instead.");
        var full = Path.GetFullPath(folder);
        Directory.CreateDirectory(full);
        var record = new PortalRecord(key.ShareIdHex, CleanName(name, full), full, PortalRecord.Member, key.ToString(), key.OwnerQuantumId, [], DateTimeOffset.UtcNow);
        return new PortalRegistry(home).Add(record);
    }

    private static List<string> DefaultAddresses(DreamHome home) =>
        TesseractNode.ReadInfo(home) is { } info ? [$"127.0.0.1:{info.PeerPort}"] : [$"127.0.0.1:{TesseractOptions.DefaultPeerPort}"];

    private static string CleanName(string? name, string folder)
    {
        var chosen = string.IsNullOrWhiteSpace(name) ? Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)) : name.Trim();
        if (chosen.Length is 0 or > 128) throw new DreamException("BadPortalName", DreamErrorKind.InvalidArgument, "A portal name is 1 to 128 characters.");
        return chosen;
    }
}
