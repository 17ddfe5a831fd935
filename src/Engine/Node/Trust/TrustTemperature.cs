namespace Dreamwell.Node;

/// <summary>
/// A peer's trust temperature in [0, 1] at the moment it was last touched. Pure arithmetic; the rules
/// (docs/protocol.md, "Trust and ShardBlade"):
/// <list type="bullet">
/// <item>silence s = max(0, Δ − Grace), where Δ is the time since the last touch; cooling multiplies by 2^(−s / CoolingHalfLife);</item>
/// <item>a heartbeat then warms for w = min(Δ, Grace): T ← 1 − (1 − T)·2^(−w / WarmingHalfLife);</item>
/// <item>ShardBlade sets T = 0 and freezes it until the quarantine ends: no warming, and cooling from 0 stays 0.</item>
/// </list>
/// Warming depends on time heard, not on how many heartbeats arrive, so a peer cannot warm faster by sending more.
/// </summary>
public readonly record struct TrustTemperature(double Value, DateTimeOffset Touched, DateTimeOffset FrozenUntil)
{
    public static readonly TimeSpan CoolingHalfLife = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan WarmingHalfLife = TimeSpan.FromMinutes(2);
    /// <summary>Gaps up to this long between heartbeats are not silence (about three 1618 ms heartbeats; the link's own silence timeout).</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    public static TrustTemperature Cold(DateTimeOffset now) => new(0, now, DateTimeOffset.MinValue);

    public bool IsFrozen(DateTimeOffset now) => now < FrozenUntil;

    /// <summary>The temperature now, after cooling for the silence since the last touch.</summary>
    public double At(DateTimeOffset now)
    {
        if (IsFrozen(now)) return 0;
        var silence = Math.Max(0, (now - Start(now)).TotalSeconds - Grace.TotalSeconds);
        return Clamp(Value * Math.Pow(2, -silence / CoolingHalfLife.TotalSeconds));
    }

    /// <summary>A successful heartbeat at <paramref name="now"/>: cool for the silence, then warm for the time heard.</summary>
    public TrustTemperature Heartbeat(DateTimeOffset now)
    {
        if (IsFrozen(now)) return this with { Value = 0, Touched = now };
        var cooled = At(now);
        var heard = Math.Clamp((now - Start(now)).TotalSeconds, 0, Grace.TotalSeconds);
        var warmed = 1 - (1 - cooled) * Math.Pow(2, -heard / WarmingHalfLife.TotalSeconds);
        return new TrustTemperature(Clamp(warmed), now, FrozenUntil);
    }

    /// <summary>Starts the clock without warming (a link came up): what follows is heard time, not silence.</summary>
    public TrustTemperature Touch(DateTimeOffset now) =>
        IsFrozen(now) ? this with { Value = 0, Touched = now } : new TrustTemperature(At(now), now, FrozenUntil);

    public TrustTemperature Freeze(DateTimeOffset now, DateTimeOffset until) => new(0, now, until);

    // After a freeze ends, time is counted from its end: the frozen span was neither heard nor silence.
    private DateTimeOffset Start(DateTimeOffset now)
    {
        var start = FrozenUntil > Touched ? FrozenUntil : Touched;
        return start > now ? now : start;
    }

    private static double Clamp(double value) => double.IsFinite(value) ? Math.Clamp(value, 0, 1) : 0;
}
