using Dreamwell.Identity;
using Dreamwell.Node;

namespace Dreamwell.Sync;

/// <summary>What New-Signal, Join-Signal and Remove-Signal do, without PowerShell.</summary>
public static class Signals
{
    /// <summary>Starts broadcasting a folder one way: a signal published by this home's identity.</summary>
    public static SignalRecord Open(DreamHome home, string folder, string name, IEnumerable<string>? addresses = null)
    {
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
            throw new DreamException(SyncErrors.FolderMissing, DreamErrorKind.NotFound, $"'{full}' is not a folder.");
        var clean = CleanName(name);
        using var signer = IdentityAccess.OpenOrCreateSigner(home, out _);
        var dial = addresses?.ToList() is { Count: > 0 } given ? given
            : TesseractNode.ReadInfo(home) is { } info ? [$"127.0.0.1:{info.PeerPort}"] : [$"127.0.0.1:{TesseractOptions.DefaultPeerPort}"];
        var key = ShareKey.Create(ShareKind.Signal, signer.Identity.PublicKey, dial);
        return new SignalRegistry(home).Add(new SignalRecord(key.ShareIdHex, clean, full, SignalRecord.Publisher, key.ToString(), signer.Identity.QuantumId, DateTimeOffset.UtcNow));
    }

    /// <summary>Subscribes to a signal by its key, keeping a local copy in a folder (created when missing).</summary>
    public static SignalRecord Join(DreamHome home, string keyText, string folder, string? name)
    {
        var key = ShareKey.Parse(keyText);
        if (key.Kind != ShareKind.Signal)
            throw new DreamException(SyncErrors.BadPortalKey, DreamErrorKind.InvalidArgument, "That is a portal key (dwp1.); use Connect-Portal for portals.");
        using var signer = IdentityAccess.OpenOrCreateSigner(home, out _);
        if (key.OwnerQuantumId == signer.Identity.QuantumId)
            throw new DreamException("SignalOwnKey", DreamErrorKind.InvalidOperation, "That signal is published by this identity.");
        var full = Path.GetFullPath(folder);
        Directory.CreateDirectory(full);
        var clean = CleanName(string.IsNullOrWhiteSpace(name) ? Path.GetFileName(Path.TrimEndingDirectorySeparator(full)) : name);
        return new SignalRegistry(home).Add(new SignalRecord(key.ShareIdHex, clean, full, SignalRecord.Subscriber, key.ToString(), key.OwnerQuantumId, DateTimeOffset.UtcNow));
    }

    private static string CleanName(string? name)
    {
        var chosen = name?.Trim() ?? "";
        if (chosen.Length is 0 or > 128) throw new DreamException("BadSignalName", DreamErrorKind.InvalidArgument, "A signal name is 1 to 128 characters.");
        return chosen;
    }
}

/// <summary>A signal as Get-Signal shows it. Key is only filled for the publisher when asked for.</summary>
public sealed record DreamSignal(string Name, string ShortId, string Role, string Path, string PublisherQuantumId, DateTimeOffset Created, string Id, string? Key)
{
    public static DreamSignal From(SignalRecord record, bool includeKey) =>
        new(record.Name, record.ShortId, record.Role, record.Path, record.PublisherQuantumId, record.Created, record.Id, includeKey ? record.Key : null);
}
