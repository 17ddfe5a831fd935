using Dreamwell.Chain;
using Dreamwell.Identity;

namespace Dreamwell.Health;

/// <summary>The checks behind Get-DreamHealth / `dream health`. Each is independent and never throws.</summary>
public static class HomeHealth
{
    public const long WarnFreeBytes = 1L << 30;
    public const long FailFreeBytes = 100L << 20;

    public static IReadOnlyList<HealthCheck> Check(DreamHome home)
    {
        var checks = new List<HealthCheck>();
        checks.Add(Guard("Identity", () => CheckIdentity(home)));
        checks.Add(Guard("IdentityFileMode", () => CheckMode(home)));
        checks.Add(Guard("DeviceFingerprint", () => CheckFingerprint(home)));
        checks.Add(Guard("SealChain", () => CheckChain(home)));
        checks.Add(Guard("HomeWritable", () => CheckWritable(home)));
        checks.Add(Guard("DiskSpace", () => CheckDisk(home)));
        checks.Add(Guard("Clock", () => CheckClock(home)));
        return checks;
    }

    private static HealthCheck Guard(string name, Func<HealthCheck> check)
    {
        try { return check(); }
        catch (Exception e) when (e is DreamException or IOException or UnauthorizedAccessException)
        {
            return new HealthCheck(name, HealthStatus.Fail, e.Message, "See the message; run Get-DreamHealth again after fixing it.");
        }
    }

    private static HealthCheck CheckIdentity(DreamHome home)
    {
        if (!IdentityStore.Exists(home))
            return new("Identity", HealthStatus.Fail, $"No identity in '{home.Path}'.", "Run New-DreamIdentity (or `dream init`).");
        var id = IdentityStore.Load(home);
        return new("Identity", HealthStatus.Pass, $"{id.Name} ({id.Kind}, {id.QuantumId}){(id.IsSealed ? ", passphrase-sealed" : "")}.", null);
    }

    private static HealthCheck CheckMode(DreamHome home)
    {
        if (!IdentityStore.Exists(home)) return new("IdentityFileMode", HealthStatus.Warn, "No identity file to check.", "Run New-DreamIdentity.");
        var mode = IdentityStore.FileMode(home);
        if (mode is null) return new("IdentityFileMode", HealthStatus.Pass, "Windows: protected by the profile folder ACL.", null);
        var loose = mode.Value & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
        var octal = Convert.ToString((int)mode.Value, 8).PadLeft(4, '0');
        return loose == 0
            ? new("IdentityFileMode", HealthStatus.Pass, $"identity.fibo is {octal}.", null)
            : new("IdentityFileMode", HealthStatus.Fail, $"identity.fibo is {octal}: other users can read or change the private key.", $"chmod 600 '{home.IdentityFile}'");
    }

    private static HealthCheck CheckFingerprint(DreamHome home)
    {
        if (!IdentityStore.Exists(home)) return new("DeviceFingerprint", HealthStatus.Warn, "No identity to compare.", "Run New-DreamIdentity.");
        return IdentityStore.Load(home).FingerprintMatches
            ? new("DeviceFingerprint", HealthStatus.Pass, "The identity was created on this machine.", null)
            : new("DeviceFingerprint", HealthStatus.Warn, "The identity was created on another machine (or this machine's id, name or CPU count changed).",
                "If the file was copied on purpose this is fine; otherwise create a fresh identity with New-DreamIdentity -Force.");
    }

    private static HealthCheck CheckChain(DreamHome home)
    {
        var verdict = SealChain.Verify(home);
        return verdict.IsValid
            ? new("SealChain", HealthStatus.Pass, $"{verdict.Length} entries, all signed and linked.", null)
            : new("SealChain", HealthStatus.Fail, $"Broken at index {verdict.FirstBadIndex}: {verdict.Problem}. {verdict.Detail}",
                "Run Test-SealChain for details; restore seal.chain from a backup. Nothing new is appended while it is broken.");
    }

    private static HealthCheck CheckWritable(DreamHome home)
    {
        home.Ensure();
        var probe = Path.Combine(home.Path, $".health-{Guid.NewGuid():N}.tmp");
        try
        {
            AtomicFile.WriteAllBytes(probe, "ok"u8);
            return new("HomeWritable", HealthStatus.Pass, $"'{home.Path}' is writable.", null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new("HomeWritable", HealthStatus.Fail, $"Cannot write to '{home.Path}': {e.Message}", $"Fix the permissions of '{home.Path}' or set DREAMWELL_HOME to a writable folder.");
        }
        finally
        {
            AtomicFile.TryDelete(probe);
        }
    }

    private static HealthCheck CheckDisk(DreamHome home)
    {
        var free = new DriveInfo(home.Path).AvailableFreeSpace;
        var text = $"{free / (1024.0 * 1024 * 1024):F1} GiB free where '{home.Path}' lives.";
        if (free < FailFreeBytes) return new("DiskSpace", HealthStatus.Fail, text, "Free disk space: packing and sync need room for temp files.");
        if (free < WarnFreeBytes) return new("DiskSpace", HealthStatus.Warn, text, "Free some disk space soon.");
        return new("DiskSpace", HealthStatus.Pass, text, null);
    }

    private static HealthCheck CheckClock(DreamHome home)
    {
        var now = DateTimeOffset.UtcNow;
        if (now.Year < 2025)
            return new("Clock", HealthStatus.Fail, $"The clock says {now:u}, before this software was built.", "Set the system clock (enable NTP).");
        var last = SealChain.Read(home).LastOrDefault();
        if (last is not null && last.Time > now.AddMinutes(5))
            return new("Clock", HealthStatus.Fail, $"The last seal is dated {last.Time:u}, after now ({now:u}): the clock went backwards.", "Set the system clock (enable NTP).");
        return new("Clock", HealthStatus.Pass, $"{now:u}.", null);
    }
}
