using System.Collections.Concurrent;
using NSec.Cryptography;

namespace Dreamwell.Identity;

/// <summary>Creates, loads and unlocks the identity in a <see cref="DreamHome"/>.</summary>
public static class IdentityStore
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    // Unlocked sealed identities for this process, like an ssh-agent: keyed by identity file path.
    private static readonly ConcurrentDictionary<string, byte[]> UnlockedPassphrases = new();

    public static bool Exists(DreamHome home) => File.Exists(home.IdentityFile);

    public static DreamIdentity Create(DreamHome home, string? name, IdentityKind? kind, ReadOnlySpan<char> passphrase, bool overwrite)
    {
        home.Ensure();
        var resolvedName = string.IsNullOrWhiteSpace(name) ? DreamHome.DefaultName ?? Environment.UserName : name.Trim();
        if (System.Text.Encoding.UTF8.GetByteCount(resolvedName) > FiboFile.MaxNameBytes)
            throw new DreamException("NameTooLong", DreamErrorKind.InvalidArgument, $"An identity name is at most {FiboFile.MaxNameBytes} UTF-8 bytes.");
        var resolvedKind = kind ?? DefaultKind();
        using var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var bytes = FiboFile.Write(resolvedName, resolvedKind, DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
            key, DeviceFingerprint.Current(), passphrase, seal: !passphrase.IsEmpty);
        AtomicFile.WriteAllBytes(home.IdentityFile, bytes, overwrite, OwnerOnly);
        UnlockedPassphrases.TryRemove(home.IdentityFile, out _);
        return Load(home);
    }

    public static DreamIdentity Load(DreamHome home) => Parse(home).Identity;

    /// <summary>An identity that can sign. Sealed identities need a passphrase now or an earlier <see cref="Unlock"/>.</summary>
    public static IdentitySigner OpenSigner(DreamHome home, ReadOnlySpan<char> passphrase = default)
    {
        var parsed = Parse(home);
        if (passphrase.IsEmpty && UnlockedPassphrases.TryGetValue(home.IdentityFile, out var cached))
            passphrase = System.Text.Encoding.UTF8.GetString(cached);
        return new IdentitySigner(parsed.Identity, FiboFile.OpenKey(parsed, passphrase));
    }

    /// <summary>Checks the passphrase and keeps the identity unlocked for the rest of this process.</summary>
    public static DreamIdentity Unlock(DreamHome home, ReadOnlySpan<char> passphrase)
    {
        using var signer = OpenSigner(home, passphrase);
        if (signer.Identity.IsSealed)
            UnlockedPassphrases[home.IdentityFile] = System.Text.Encoding.UTF8.GetBytes(passphrase.ToArray());
        return signer.Identity;
    }

    public static void Lock(DreamHome home) => UnlockedPassphrases.TryRemove(home.IdentityFile, out _);

    /// <summary>The unix mode of identity.fibo, or null on Windows.</summary>
    public static UnixFileMode? FileMode(DreamHome home) =>
        OperatingSystem.IsWindows() ? null : File.GetUnixFileMode(home.IdentityFile);

    private static FiboFile.Parsed Parse(DreamHome home)
    {
        if (!File.Exists(home.IdentityFile))
            throw new DreamException("IdentityNotFound", DreamErrorKind.NotFound,
                $"No identity in '{home.Path}'. Create one with New-DreamIdentity (or `dream init`).");
        var info = new FileInfo(home.IdentityFile);
        if (info.Length > FiboFile.MaxFileBytes)
            throw new DreamFormatException("FiboTooLarge", $"'{home.IdentityFile}' is {info.Length} bytes; an identity file is at most {FiboFile.MaxFileBytes}.");
        return FiboFile.Parse(File.ReadAllBytes(home.IdentityFile), home.IdentityFile);
    }

    private static IdentityKind DefaultKind()
    {
        var mode = DreamHome.DefaultMode;
        if (mode is null) return IdentityKind.Human;
        return Enum.TryParse<IdentityKind>(mode, ignoreCase: true, out var kind) && Enum.IsDefined(kind)
            ? kind
            : throw new DreamException("BadMode", DreamErrorKind.InvalidArgument, $"{DreamHome.ModeVariable}='{mode}' is not Human, Agent or Service.");
    }
}
