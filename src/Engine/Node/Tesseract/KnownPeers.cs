using System.Text.Json;
using Dreamwell.Identity;

namespace Dreamwell.Node;

/// <summary>
/// Trust on first use, like ssh known_hosts: the first Ed25519 key seen for a QuantumId is pinned in
/// $DREAMWELL_HOME/known_peers.json, and a different key for a pinned id is refused from then on.
/// </summary>
public sealed class KnownPeers
{
    public const string FileName = "known_peers.json";
    private const long MaxFileBytes = 1 << 20;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly string _path;
    private readonly object _gate = new();

    public KnownPeers(DreamHome home) => _path = Path.Combine(home.Path, FileName);

    public sealed record Pin(string QuantumId, string PublicKey, string Label, DateTimeOffset FirstSeen);

    private sealed record PinFile(List<Pin> Peers);

    public IReadOnlyList<Pin> All()
    {
        lock (_gate) return Load();
    }

    /// <summary>Pins the key on first sight; returns true when it was new. Throws PeerKeyMismatch when another key is pinned.</summary>
    public bool CheckOrPin(byte[] publicKey, string label)
    {
        var quantumId = DreamIdentity.QuantumIdOf(publicKey);
        var hex = Convert.ToHexStringLower(publicKey);
        lock (_gate)
        {
            var pins = Load();
            var existing = pins.FirstOrDefault(p => p.QuantumId == quantumId);
            if (existing is not null)
            {
                if (existing.PublicKey.Equals(hex, StringComparison.OrdinalIgnoreCase)) return false;
                throw new DreamException(TesseractErrors.PeerKeyMismatch, DreamErrorKind.SecurityError,
                    $"Peer {quantumId} presented key {hex[..16]}…, but {existing.PublicKey[..Math.Min(16, existing.PublicKey.Length)]}… is pinned in {FileName}. Refused (possible impersonation).");
            }
            pins.Add(new Pin(quantumId, hex, label, DateTimeOffset.UtcNow));
            AtomicFile.Write(_path, s => JsonSerializer.Serialize(s, new PinFile(pins), Json), overwrite: true, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            return true;
        }
    }

    private List<Pin> Load()
    {
        if (!File.Exists(_path)) return [];
        var info = new FileInfo(_path);
        if (info.Length > MaxFileBytes)
            throw new DreamFormatException("KnownPeersTooLarge", $"'{_path}' is {info.Length} bytes; at most {MaxFileBytes}.");
        try
        {
            var file = JsonSerializer.Deserialize<PinFile>(File.ReadAllBytes(_path), Json);
            return file?.Peers?.Where(p => p is { QuantumId: not null, PublicKey: not null }).ToList() ?? [];
        }
        catch (JsonException e)
        {
            throw new DreamFormatException("KnownPeersInvalid", $"'{_path}' is not valid: {e.Message}. Fix or remove it; no key was pinned.", inner: e);
        }
    }
}
