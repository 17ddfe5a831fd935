using System.Collections.Concurrent;
using System.Text.Json;
using Dreamwell.Chain;

namespace Dreamwell.Identity;

/// <summary>
/// Issuing, listing and revoking delegations. The Human's home keeps <c>delegations.json</c> (what it issued, and
/// which agents it revoked); each agent's own home holds its identity.fibo (kind Agent) and <c>delegation.cert</c>.
/// Grants and revocations are also audit entries on the Human's seal chain.
/// </summary>
public static class Delegations
{
    public const string RegistryFileName = "delegations.json";
    public const string CertificateFileName = "delegation.cert";
    public const string AgentsFolderName = "agents";
    private const int MaxRegistryBytes = 1024 * 1024;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private static readonly ConcurrentDictionary<string, (DateTime Written, long Length, HashSet<string> Keys)> RevokedCache = new();
    private static readonly object RegistryGate = new();

    /// <summary>One issued delegation as delegations.json stores it.</summary>
    public sealed record Entry(string Name, string AgentPublicKey, string Path, string Certificate, DateTimeOffset Granted, DateTimeOffset? Revoked, string? RevokeReason);

    public static string RegistryPath(DreamHome home) => System.IO.Path.Combine(home.Path, RegistryFileName);

    public static string DefaultAgentPath(DreamHome home, string name) => System.IO.Path.Combine(home.Path, AgentsFolderName, name);

    public static string CertificatePath(DreamHome agentHome) => System.IO.Path.Combine(agentHome.Path, CertificateFileName);

    /// <summary>
    /// Creates the agent's identity in <paramref name="agentPath"/> (or reuses the Agent identity already there: a renewal),
    /// signs its certificate with <paramref name="human"/>, stores it next to the identity and records the grant.
    /// </summary>
    public static DreamDelegation Grant(DreamHome home, IdentitySigner human, string name, DelegationScopes scopes, TimeSpan lifetime, string? agentPath, DateTimeOffset now)
    {
        DelegationCertificate.CheckName(name);
        DelegationDuration.Check(lifetime);
        if (human.Identity.Kind != IdentityKind.Human)
            throw new DreamException(DelegationErrors.NotHuman, DreamErrorKind.InvalidOperation,
                $"Only a Human identity delegates; the identity in '{home.Path}' is {human.Identity.Kind}.");
        var agentHome = new DreamHome(agentPath ?? DefaultAgentPath(home, name));
        if (agentHome.Path == home.Path) throw new DreamException(DelegationErrors.BadName, DreamErrorKind.InvalidArgument, "An agent needs a folder of its own, not the Human's home.");

        DreamIdentity agent;
        if (IdentityStore.Exists(agentHome))
        {
            agent = IdentityStore.Load(agentHome);
            if (agent.Kind != IdentityKind.Agent)
                throw new DreamException("IdentityExists", DreamErrorKind.AlreadyExists,
                    $"'{agentHome.IdentityFile}' holds a {agent.Kind} identity; an agent needs an empty folder or an Agent identity to renew.");
            if (IsRevoked(home, agent.PublicKey))
                throw new DreamException(DelegationErrors.Revoked, DreamErrorKind.InvalidOperation,
                    $"Agent {agent.QuantumId} in '{agentHome.Path}' was revoked; revocation is final: grant a new agent in another folder.");
        }
        else
        {
            agent = IdentityAccess.NewIdentity(agentHome, name, IdentityKind.Agent, default, overwrite: false);
        }

        var certificate = DelegationCertificate.Issue(human, agent.PublicKey, name, scopes, now, now + lifetime);
        AtomicFile.WriteAllBytes(CertificatePath(agentHome), certificate.Bytes, overwrite: true, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        SealChain.Append(home, human, "delegation.grant", [Blake3Hash.Compute(certificate.AgentKey), Blake3Hash.Compute(certificate.Bytes)],
            JsonSerializer.Serialize(new
            {
                kind = "delegation", name, agent = certificate.AgentQuantumId, scopes = DelegationScope.Describe(scopes),
                notBefore = certificate.NotBefore, expires = certificate.Expires, path = agentHome.Path,
            }));
        var entry = new Entry(name, Convert.ToHexStringLower(certificate.AgentKey), agentHome.Path, Convert.ToBase64String(certificate.Bytes), now, null, null);
        UpdateRegistry(home, entries => [.. entries.Where(e => e.AgentPublicKey != entry.AgentPublicKey), entry]);
        return Describe(entry, certificate, now);
    }

    /// <summary>What this home's identity has delegated, newest grant last.</summary>
    public static IReadOnlyList<DreamDelegation> List(DreamHome home, DateTimeOffset now) =>
        ReadRegistry(home).Select(e => Describe(e, DelegationCertificate.Parse(Convert.FromBase64String(e.Certificate)), now)).ToList();

    /// <summary>The delegation stored in an agent's home (verified: the certificate names that home's identity key).</summary>
    public static DreamDelegation ReadAgent(DreamHome agentHome, DateTimeOffset now)
    {
        var certificate = ReadOwn(agentHome) ?? throw new DreamException(DelegationErrors.NotFound, DreamErrorKind.NotFound,
            $"No {CertificateFileName} in '{agentHome.Path}'.");
        return Describe(new Entry(certificate.Name, Convert.ToHexStringLower(certificate.AgentKey), agentHome.Path, "", now, null, null), certificate, now);
    }

    /// <summary>The certificate of an Agent home's own identity, or null when there is none; throws when it is for another key.</summary>
    public static DelegationCertificate? ReadOwn(DreamHome agentHome)
    {
        var path = CertificatePath(agentHome);
        if (!File.Exists(path)) return null;
        if (new FileInfo(path).Length > DelegationCertificate.MaxBytes)
            throw new DreamException(DelegationErrors.Invalid, DreamErrorKind.InvalidData, $"'{path}' is larger than any delegation certificate.");
        var certificate = DelegationCertificate.Parse(File.ReadAllBytes(path));
        if (!certificate.AgentKey.AsSpan().SequenceEqual(IdentityStore.Load(agentHome).PublicKey))
            throw new DreamException(DelegationErrors.Invalid, DreamErrorKind.InvalidData,
                $"'{path}' delegates to {certificate.AgentQuantumId}, not to the identity in '{agentHome.IdentityFile}'.");
        return certificate;
    }

    /// <summary>Marks an agent (by name or QuantumId) revoked in this home's list and records it on the chain.</summary>
    public static DreamDelegation Revoke(DreamHome home, IdentitySigner human, string nameOrQuantumId, string? reason, DateTimeOffset now)
    {
        var entry = Find(home, nameOrQuantumId);
        var certificate = DelegationCertificate.Parse(Convert.FromBase64String(entry.Certificate));
        if (entry.Revoked is not null) return Describe(entry, certificate, now);
        var revoked = entry with { Revoked = now, RevokeReason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim() };
        SealChain.Append(home, human, "delegation.revoke", [Blake3Hash.Compute(certificate.AgentKey)],
            JsonSerializer.Serialize(new { kind = "delegation", name = entry.Name, agent = certificate.AgentQuantumId, reason = revoked.RevokeReason }));
        UpdateRegistry(home, entries => entries.Select(e => e.AgentPublicKey == entry.AgentPublicKey ? revoked : e).ToList());
        return Describe(revoked, certificate, now);
    }

    /// <summary>The issued entry for a name or agent QuantumId; throws DelegationNotFound.</summary>
    public static Entry Find(DreamHome home, string nameOrQuantumId) =>
        ReadRegistry(home).LastOrDefault(e => e.Name.Equals(nameOrQuantumId, StringComparison.OrdinalIgnoreCase)
            || DreamIdentity.QuantumIdOf(Convert.FromHexString(e.AgentPublicKey)).Equals(nameOrQuantumId, StringComparison.OrdinalIgnoreCase))
        ?? throw new DreamException(DelegationErrors.NotFound, DreamErrorKind.NotFound, $"'{home.Path}' has issued no delegation named '{nameOrQuantumId}'.");

    /// <summary>Whether this home revoked the agent key. Cheap enough for every request: the list is re-read only when the file changes.</summary>
    public static bool IsRevoked(DreamHome home, ReadOnlySpan<byte> agentKey)
    {
        var path = RegistryPath(home);
        var info = new FileInfo(path);
        if (!info.Exists) return false;
        var cached = RevokedCache.TryGetValue(path, out var c) && c.Written == info.LastWriteTimeUtc && c.Length == info.Length ? c.Keys : null;
        if (cached is null)
        {
            cached = ReadRegistry(home).Where(e => e.Revoked is not null).Select(e => e.AgentPublicKey).ToHashSet(StringComparer.Ordinal);
            RevokedCache[path] = (info.LastWriteTimeUtc, info.Length, cached);
        }
        return cached.Contains(Convert.ToHexStringLower(agentKey));
    }

    private static DreamDelegation Describe(Entry entry, DelegationCertificate certificate, DateTimeOffset now) =>
        new(certificate.Name, certificate.AgentQuantumId, certificate.DelegatedBy, certificate.Scopes, certificate.NotBefore, certificate.Expires,
            entry.Revoked is not null ? "Revoked" : certificate.StatusAt(now), entry.Revoked, entry.RevokeReason, entry.Path, certificate.Hash,
            Convert.ToHexStringLower(certificate.AgentKey));

    private static List<Entry> ReadRegistry(DreamHome home)
    {
        var path = RegistryPath(home);
        if (!File.Exists(path)) return [];
        if (new FileInfo(path).Length > MaxRegistryBytes)
            throw new DreamFormatException("DelegationRegistryTooLarge", $"'{path}' is over {MaxRegistryBytes} bytes.");
        try
        {
            return JsonSerializer.Deserialize<List<Entry>>(File.ReadAllBytes(path), Json) ?? [];
        }
        catch (JsonException e)
        {
            throw new DreamFormatException("DelegationRegistryMalformed", $"'{path}' is not a delegation list: {e.Message}");
        }
    }

    private static void UpdateRegistry(DreamHome home, Func<List<Entry>, List<Entry>> change)
    {
        lock (RegistryGate)
        {
            var entries = change(ReadRegistry(home));
            AtomicFile.Write(RegistryPath(home), s => JsonSerializer.Serialize(s, entries, Json), overwrite: true, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
