using System.Net;
using Dreamwell.Node.Discovery;

namespace Dreamwell.Tests.Discovery;

public sealed class DnsWireTests
{
    private static readonly DiscoveryOptions Options = new();
    private static readonly ServiceAnnouncement Sample = new("Küche-0123456789abcdef", "0123456789abcdef", "Küche laptop", 9618, protocolVersion: 3);

    [Fact]
    public void An_announcement_round_trips_with_every_txt_field()
    {
        var packet = DnsMessageWriter.Write(ServiceRecords.Announcement(Sample, Options, 120));
        var message = DnsMessageReader.Read(packet);
        var now = DateTimeOffset.UnixEpoch;

        var (instance, peer) = Assert.Single(ServiceRecords.Peers(message, Options, IPAddress.Parse("10.9.9.9"), now));

        Assert.Equal("Küche-0123456789abcdef._tesseract._tcp.local", instance);
        Assert.NotNull(peer);
        Assert.Equal("Küche-0123456789abcdef", peer.InstanceName);
        Assert.Equal("0123456789abcdef", peer.QuantumId);
        Assert.Equal("Küche laptop", peer.Name);
        Assert.Equal(9618, peer.Port);
        Assert.Equal(3, peer.ProtocolVersion);
        Assert.Equal(IPAddress.Loopback, peer.Address); // the A record wins over the packet's source
        Assert.Equal(now + TimeSpan.FromSeconds(120), peer.ExpiresAt);
        Assert.False(peer.Trusted);
        var txt = message.AllRecords.OfType<TxtRecord>().Single();
        Assert.Equal(["txtvers=1", "qid=0123456789abcdef", "name=Küche laptop", "port=9618", "pv=3"], txt.Strings);
    }

    [Fact]
    public void A_goodbye_reports_the_instance_without_a_peer()
    {
        var message = DnsMessageReader.Read(DnsMessageWriter.Write(ServiceRecords.Announcement(Sample, Options, ttl: 0)));
        var (instance, peer) = Assert.Single(ServiceRecords.Peers(message, Options, IPAddress.Loopback, DateTimeOffset.UnixEpoch));
        Assert.EndsWith("._tesseract._tcp.local", instance);
        Assert.Null(peer);
    }

    [Fact]
    public void A_txt_port_that_disagrees_with_srv_is_not_a_peer()
    {
        var records = ServiceRecords.Announcement(Sample, Options, 120);
        var forged = records with
        {
            Additional = records.Additional.Select(r => r is TxtRecord t ? t with { Strings = t.Strings.Select(s => s == "port=9618" ? "port=22" : s).ToList() } : r).ToList(),
        };
        var message = DnsMessageReader.Read(DnsMessageWriter.Write(forged));
        Assert.Empty(ServiceRecords.Peers(message, Options, IPAddress.Loopback, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Compressed_names_are_followed_backwards()
    {
        // A PTR answer whose target reuses "_tesseract._tcp.local" from the question by pointer.
        byte[] packet =
        [
            0, 0, 0x84, 0, 0, 1, 0, 1, 0, 0, 0, 0,
            10, .. "_tesseract"u8, 4, .. "_tcp"u8, 5, .. "local"u8, 0, 0, 12, 0, 1,
            0xC0, 12, 0, 12, 0, 1, 0, 0, 0, 120, 0, 4, 1, (byte)'x', 0xC0, 12,
        ];
        var message = DnsMessageReader.Read(packet);
        var ptr = Assert.IsType<PtrRecord>(Assert.Single(message.Answers));
        Assert.Equal("_tesseract._tcp.local", ptr.Name);
        Assert.Equal("x._tesseract._tcp.local", ptr.Target);
    }

    [Fact]
    public void Hostile_packets_are_refused_with_a_wire_error()
    {
        Assert.Throws<DnsWireException>(() => DnsMessageReader.Read(MalformedPackets.PointerLoop()));
        Assert.Throws<DnsWireException>(() => DnsMessageReader.Read(MalformedPackets.HugeCounts(new Random(1))));
        Assert.Throws<DnsWireException>(() => DnsMessageReader.Read(new byte[DnsWireLimits.MaxPacketSize + 1]));
        Assert.Throws<DnsWireException>(() => DnsMessageReader.Read(new byte[11]));
    }

    [Fact]
    public void Ten_thousand_random_and_mutated_packets_raise_only_wire_errors()
    {
        var random = new Random(5353);
        var valid = DnsMessageWriter.Write(ServiceRecords.Announcement(Sample, Options, 120));
        int refused = 0;
        for (int i = 0; i < 10_000; i++)
        {
            try { DnsMessageReader.Read(MalformedPackets.Next(random, valid)); }
            catch (DnsWireException) { refused++; }
        }
        Assert.True(refused > 1000, $"only {refused} of 10000 refused: the generator is too gentle");
    }

    [Fact]
    public void Invalid_announcements_are_refused_before_anything_is_sent()
    {
        var e = Assert.Throws<DreamException>(() => new ServiceAnnouncement("a.b", "0123456789abcdef", "n", 9618));
        Assert.Equal(DiscoveryErrors.InvalidAnnouncement, e.ErrorId);
        Assert.Throws<DreamException>(() => new ServiceAnnouncement("a", "NOT-A-QUANTUM-ID", "n", 9618));
        Assert.Throws<DreamException>(() => new ServiceAnnouncement("a", "0123456789abcdef", "n", 0));
        Assert.Throws<DreamException>(() => new ServiceAnnouncement(new string('x', 64), "0123456789abcdef", "n", 9618));
    }

    [Fact]
    public void The_default_instance_name_fits_one_label_and_carries_the_quantum_id()
    {
        string name = ServiceAnnouncement.DefaultInstanceName(new string('é', 60) + ".x", "0123456789abcdef");
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(name) <= 63);
        Assert.EndsWith("-0123456789abcdef", name);
        Assert.DoesNotContain('.', name);
    }
}
