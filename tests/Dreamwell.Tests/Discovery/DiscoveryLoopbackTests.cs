using System.Net;
using Dreamwell.Node.Discovery;

namespace Dreamwell.Tests.Discovery;

public sealed class DiscoveryLoopbackTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static ServiceAnnouncement Node(string name, string quantumId, int peerPort) =>
        new(ServiceAnnouncement.DefaultInstanceName(name, quantumId), quantumId, name, peerPort);

    private static Task<IReadOnlyList<DiscoveredPeer>> WaitForPeers(Browser browser, int count) =>
        WaitForPeers(browser, peers => peers.Count >= count);

    private static async Task<IReadOnlyList<DiscoveredPeer>> WaitForPeers(Browser browser, Func<IReadOnlyList<DiscoveredPeer>, bool> done)
    {
        var until = DateTime.UtcNow + Deadline;
        while (DateTime.UtcNow < until)
        {
            var peers = browser.Peers;
            if (done(peers)) return peers;
            await Task.Delay(100);
        }
        return browser.Peers;
    }

    [LoopbackMulticastFact]
    public async Task Two_announcers_and_a_browser_on_loopback_find_each_other()
    {
        var options = LoopbackMulticast.Options();
        using var alice = new Announcer(Node("alice", "0123456789abcdef", 9618), options);
        using var bob = new Announcer(Node("bob", "fedcba9876543210", 19618), options);
        using var browser = new Browser(options);
        alice.Start();
        bob.Start();
        browser.Start();

        var peers = await WaitForPeers(browser, 2);

        Assert.Equal(["alice-0123456789abcdef", "bob-fedcba9876543210"], peers.Select(p => p.InstanceName));
        var found = peers.Single(p => p.Name == "bob");
        Assert.Equal("fedcba9876543210", found.QuantumId);
        Assert.Equal(19618, found.Port);
        Assert.Equal(IPAddress.Loopback, found.Address);
        Assert.Equal(ServiceAnnouncement.CurrentProtocolVersion, found.ProtocolVersion);
        Assert.False(found.Trusted);
        Assert.True(found.ExpiresAt > found.LastSeen);
    }

    [LoopbackMulticastFact]
    public async Task A_browser_started_late_gets_answers_to_its_query()
    {
        var options = LoopbackMulticast.Options() with { AnnounceInterval = TimeSpan.FromMinutes(10) };
        using var node = new Announcer(Node("late", "00000000000000aa", 9618), options);
        node.Start();
        await Task.Delay(1500); // both start-up announcements are over

        using var browser = new Browser(options);
        browser.Start();
        var peers = await WaitForPeers(browser, 1);

        Assert.Equal("late", Assert.Single(peers).Name);
        Assert.True(node.AnswersSent >= 1);
    }

    [LoopbackMulticastFact]
    public async Task A_node_that_stops_says_goodbye_and_disappears()
    {
        var options = LoopbackMulticast.Options();
        using var browser = new Browser(options);
        browser.Start();
        var node = new Announcer(Node("leaving", "00000000000000bb", 9618), options);
        node.Start();
        Assert.Single(await WaitForPeers(browser, 1));

        node.Dispose();

        var until = DateTime.UtcNow + Deadline;
        while (browser.Peers.Count > 0 && DateTime.UtcNow < until) await Task.Delay(100);
        Assert.Empty(browser.Peers);
    }

    [LoopbackMulticastFact]
    public async Task Two_thousand_malformed_packets_leave_the_browser_working()
    {
        var options = LoopbackMulticast.Options() with { AnnounceInterval = TimeSpan.FromMinutes(10), QueryInterval = TimeSpan.FromMinutes(10) };
        using var browser = new Browser(options);
        browser.Start();
        var random = new Random(9619);
        using (var fuzzer = new MulticastTransport(options, (_, _) => { }))
        {
            var valid = DnsMessageWriter.Write(ServiceRecords.Announcement(Node("fuzz", "0000000000000fff", 9618), options, 120));
            for (int i = 0; i < 2000; i++)
            {
                fuzzer.SendRaw(MalformedPackets.Next(random, valid));
                if (i % 100 == 99) await Task.Delay(10); // let the receiver keep up; UDP drops are not the point
            }
        }
        await Task.Delay(500);
        Assert.True(browser.MalformedPackets > 0, "the fuzz packets reached the browser and were counted");

        using var node = new Announcer(Node("survivor", "00000000000000cc", 9618), options);
        node.Start();
        var peers = await WaitForPeers(browser, found => found.Any(p => p.Name == "survivor"));
        Assert.Contains(peers, p => p.Name == "survivor");
    }

    [Fact]
    public void Defaults_keep_discovery_on_loopback_with_ttl_one()
    {
        var defaults = new DiscoveryOptions();
        Assert.Equal(IPAddress.Loopback, defaults.InterfaceAddress);
        Assert.Equal(1, defaults.MulticastTtl);
        Assert.Equal(IPAddress.Parse("224.0.0.251"), defaults.Group);
        Assert.Equal(DiscoveryOptions.StandardPort, defaults.Port);
    }

    [Fact]
    public void Options_that_are_not_ipv4_multicast_are_refused()
    {
        var unicastGroup = Assert.Throws<DreamException>(() => new Browser(new DiscoveryOptions { Group = IPAddress.Parse("10.0.0.1") }));
        Assert.Equal(DiscoveryErrors.InvalidAnnouncement, unicastGroup.ErrorId);
        Assert.Throws<DreamException>(() => new Browser(new DiscoveryOptions { InterfaceAddress = IPAddress.IPv6Loopback }));
        Assert.Throws<DreamException>(() => new Browser(new DiscoveryOptions { MulticastTtl = 0 }));
    }

    [LoopbackMulticastFact]
    public async Task A_query_flood_is_answered_at_a_limited_rate()
    {
        var options = LoopbackMulticast.Options() with { AnnounceInterval = TimeSpan.FromMinutes(10) };
        using var node = new Announcer(Node("flooded", "00000000000000dd", 9618), options);
        node.Start();
        using (var asker = new MulticastTransport(options, (_, _) => { }))
        {
            for (int i = 0; i < 500; i++) asker.Send(ServiceRecords.Query(options));
        }
        var until = DateTime.UtcNow + Deadline;
        while (node.AnswersSuppressed < 50 && DateTime.UtcNow < until) await Task.Delay(50);

        Assert.True(node.AnswersSuppressed > 0, "the flood was rate-limited");
        Assert.True(node.AnswersSent < node.AnswersSuppressed, $"{node.AnswersSent} answers to {node.AnswersSent + node.AnswersSuppressed} queries");
    }
}
