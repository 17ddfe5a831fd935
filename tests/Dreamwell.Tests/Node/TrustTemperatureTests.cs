using System.Text.Json;
using Dreamwell.Node;
using Dreamwell.Tests.Support;

namespace Dreamwell.Tests.Node;

/// <summary>The trust temperature formula and its persistence, on an injected clock.</summary>
public sealed class TrustTemperatureTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void HeartbeatsWarmByTimeHeardTowardsOne()
    {
        var t = TrustTemperature.Cold(T0);
        var now = T0;
        var readings = new List<double>();
        // Two minutes of heartbeats, one every 1618 ms: half the way to 1 (warming half-life 2 min).
        for (var i = 0; i < 75; i++)
        {
            now += TimeSpan.FromMilliseconds(1618);
            t = t.Heartbeat(now);
            readings.Add(t.At(now));
        }
        Assert.Equal(readings.Order(), readings);
        Assert.Equal(0.5, t.At(now), precision: 2);
        Assert.Equal(1 - Math.Pow(2, -(75 * 1.618) / 120), t.At(now), precision: 9);
    }

    [Fact]
    public void SendingMoreHeartbeatsDoesNotWarmFaster()
    {
        var slow = TrustTemperature.Cold(T0);
        var fast = TrustTemperature.Cold(T0);
        for (var ms = 100; ms <= 60_000; ms += 100)
        {
            fast = fast.Heartbeat(T0.AddMilliseconds(ms));
            if (ms % 2000 == 0) slow = slow.Heartbeat(T0.AddMilliseconds(ms));
        }
        Assert.Equal(slow.At(T0.AddMinutes(1)), fast.At(T0.AddMinutes(1)), precision: 9);
    }

    [Fact]
    public void SilenceCoolsWithATenMinuteHalfLifeAfterTheGrace()
    {
        var warm = new TrustTemperature(0.8, T0, DateTimeOffset.MinValue);
        Assert.Equal(0.8, warm.At(T0 + TrustTemperature.Grace), precision: 12);
        Assert.Equal(0.4, warm.At(T0 + TrustTemperature.Grace + TimeSpan.FromMinutes(10)), precision: 12);
        Assert.Equal(0.2, warm.At(T0 + TrustTemperature.Grace + TimeSpan.FromMinutes(20)), precision: 12);
        // The heartbeat after a silence cools for the silence, then warms only for the grace it heard.
        var after = warm.Heartbeat(T0 + TrustTemperature.Grace + TimeSpan.FromMinutes(10));
        Assert.Equal(1 - 0.6 * Math.Pow(2, -5.0 / 120), after.At(after.Touched), precision: 12);
    }

    [Fact]
    public void ShardBladeFreezesAtZeroUntilTheQuarantineEnds()
    {
        var until = T0.AddMinutes(2);
        var frozen = new TrustTemperature(0.9, T0, DateTimeOffset.MinValue).Freeze(T0, until);
        Assert.Equal(0, frozen.At(T0.AddMinutes(1)));
        Assert.Equal(0, frozen.Heartbeat(T0.AddMinutes(1)).At(T0.AddMinutes(1)));
        // After the freeze the frozen span counts as neither heard nor silence: warming starts from the end.
        var thawed = frozen.Touch(until).Heartbeat(until + TimeSpan.FromSeconds(5));
        Assert.Equal(1 - Math.Pow(2, -5.0 / 120), thawed.At(until + TimeSpan.FromSeconds(5)), precision: 12);
    }

    [Fact]
    public void TheLedgerPersistsPerQuantumIdAndReadsCoolingOnItsClock()
    {
        using var temp = new TempHome();
        temp.Home.Ensure();
        var clock = new ManualClock(T0);
        var ledger = new TrustLedger(temp.Home, clock);
        ledger.LinkUp("00000000000000aa");
        for (var i = 0; i < 24; i++)
        {
            clock.Now += TimeSpan.FromSeconds(5);
            ledger.Heartbeat("00000000000000aa");
        }
        var warm = ledger.Read("00000000000000aa");
        Assert.Equal(0.5, warm, precision: 3);
        ledger.LinkDown("00000000000000aa");
        Assert.Equal(0, ledger.Read("00000000000000bb"));

        clock.Now += TrustTemperature.Grace + TimeSpan.FromMinutes(10);
        var reopened = new TrustLedger(temp.Home, clock);
        Assert.Equal(warm / 2, reopened.Read("00000000000000aa"), precision: 3);

        reopened.Freeze("00000000000000aa", clock.GetUtcNow().AddMinutes(1));
        reopened.Freeze("00000000000000cc", clock.GetUtcNow().AddMinutes(1));
        reopened.Flush();
        Assert.Equal(0, new TrustLedger(temp.Home, clock).Read("00000000000000aa"));
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(temp.Home.Path, TrustLedger.FileName)));
        // A peer never heard gets no entry from a freeze: it is cold already.
        Assert.Equal(["00000000000000aa"], file.RootElement.GetProperty("peers").EnumerateArray().Select(p => p.GetProperty("quantumId").GetString()));
    }

    [Fact]
    public void ADamagedTrustFileIsKeptAsideAndEveryoneStartsCold()
    {
        using var temp = new TempHome();
        temp.Home.Ensure();
        File.WriteAllText(Path.Combine(temp.Home.Path, TrustLedger.FileName), "{ not json");
        var ledger = new TrustLedger(temp.Home, new ManualClock(T0));
        Assert.Equal(0, ledger.Read("00000000000000aa"));
        Assert.Single(Directory.GetFiles(temp.Home.Path, TrustLedger.FileName + ".invalid-*"));
    }

    [Fact]
    public void QuarantineBackOffDoublesFromThirtySecondsToAnHourAndResetsAfterADay()
    {
        Assert.Equal(
            new[] { 30, 60, 120, 240, 480, 960, 1920, 3600, 3600 }.Select(s => TimeSpan.FromSeconds(s)),
            Enumerable.Range(1, 9).Select(Quarantine.BackOff));

        using var temp = new TempHome();
        temp.Home.Ensure();
        var quarantine = new Quarantine(temp.Home);
        Assert.Equal(TimeSpan.FromSeconds(30), quarantine.StrikePeer("00000000000000aa", "Fork", T0).Until - T0);
        Assert.Equal(TimeSpan.FromSeconds(60), quarantine.StrikePeer("00000000000000aa", "Fork", T0.AddMinutes(1)).Until - T0.AddMinutes(1));
        Assert.NotNull(new Quarantine(temp.Home).PeerQuarantine("00000000000000AA", T0.AddMinutes(1.5)));
        Assert.Null(new Quarantine(temp.Home).PeerQuarantine("00000000000000aa", T0.AddMinutes(2.1)));
        var later = T0.AddDays(2);
        Assert.Equal(1, quarantine.StrikePeer("00000000000000aa", "Fork", later).Strikes);
    }

    [Fact]
    public void QuarantineListsAreBoundedEvictingTheEarliestEnding()
    {
        using var temp = new TempHome();
        temp.Home.Ensure();
        var quarantine = new Quarantine(temp.Home);
        for (var i = 0; i < Quarantine.MaxAddresses + 10; i++)
            quarantine.StrikeAddress($"10.0.{i / 256}.{i % 256}", "Replay", T0.AddSeconds(i));
        var kept = new Quarantine(temp.Home).Addresses();
        Assert.Equal(Quarantine.MaxAddresses, kept.Count);
        Assert.DoesNotContain(kept, e => e.Key == "10.0.0.0");
        Assert.Contains(kept, e => e.Key == $"10.0.1.{Quarantine.MaxAddresses + 9 - 256}");
    }

    [Theory]
    [InlineData("127.0.0.1:9618", "127.0.0.1")]
    [InlineData("[::1]:9618", "::1")]
    [InlineData("example.org:9618", "example.org")]
    [InlineData("::1", "::1")]
    public void TheHostOfAnAddressIsItsQuarantineKey(string address, string host) => Assert.Equal(host, ShardBlade.HostOf(address));
}
