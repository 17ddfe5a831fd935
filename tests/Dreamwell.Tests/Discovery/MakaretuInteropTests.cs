using System.Net;
using Dreamwell.Node.Discovery;
using M = Makaretu.Dns;

namespace Dreamwell.Tests.Discovery;

/// <summary>Our wire format checked against an independent DNS implementation (Makaretu.Dns), both ways.</summary>
public sealed class MakaretuInteropTests
{
    private static readonly DiscoveryOptions Options = new();
    private static readonly ServiceAnnouncement Sample = new("studio-0123456789abcdef", "0123456789abcdef", "studio", 9618);

    [Fact]
    public void Makaretu_reads_our_announcement_as_a_dns_sd_record_set()
    {
        var packet = DnsMessageWriter.Write(ServiceRecords.Announcement(Sample, Options, 120));
        var message = new M.Message();
        message.Read(packet);

        Assert.True(message.IsResponse);
        Assert.True(message.AA);
        var ptr = Assert.IsType<M.PTRRecord>(Assert.Single(message.Answers));
        Assert.Equal("_tesseract._tcp.local", ptr.Name!.ToString());
        Assert.Equal("studio-0123456789abcdef._tesseract._tcp.local", ptr.DomainName!.ToString());
        var srv = message.AdditionalRecords.OfType<M.SRVRecord>().Single();
        Assert.Equal(9618, srv.Port);
        Assert.Equal("dw-0123456789abcdef.local", srv.Target!.ToString());
        Assert.Equal(TimeSpan.FromSeconds(120), srv.TTL);
        var txt = message.AdditionalRecords.OfType<M.TXTRecord>().Single();
        Assert.Equal(["txtvers=1", "qid=0123456789abcdef", "name=studio", "port=9618", "pv=1"], txt.Strings);
        var a = message.AdditionalRecords.OfType<M.ARecord>().Single();
        Assert.Equal(IPAddress.Loopback, a.Address);
    }

    [Fact]
    public void We_read_a_compressed_response_written_by_makaretu()
    {
        var instance = new M.DomainName("other-fedcba9876543210._tesseract._tcp.local");
        var response = new M.Message { QR = true, AA = true };
        response.Answers.Add(new M.PTRRecord { Name = "_tesseract._tcp.local", DomainName = instance, TTL = TimeSpan.FromSeconds(4500) });
        response.AdditionalRecords.Add(new M.SRVRecord { Name = instance, Port = 19618, Target = "other.local", TTL = TimeSpan.FromSeconds(120) });
        response.AdditionalRecords.Add(new M.TXTRecord { Name = instance, Strings = ["qid=fedcba9876543210", "name=other", "port=19618", "pv=1"], TTL = TimeSpan.FromSeconds(120) });
        response.AdditionalRecords.Add(new M.ARecord { Name = "other.local", Address = IPAddress.Parse("192.0.2.7"), TTL = TimeSpan.FromSeconds(120) });

        var message = DnsMessageReader.Read(response.ToByteArray());
        var (_, peer) = Assert.Single(ServiceRecords.Peers(message, Options, IPAddress.Loopback, DateTimeOffset.UnixEpoch));

        Assert.NotNull(peer);
        Assert.Equal("other-fedcba9876543210", peer.InstanceName);
        Assert.Equal("fedcba9876543210", peer.QuantumId);
        Assert.Equal(19618, peer.Port);
        Assert.Equal(IPAddress.Parse("192.0.2.7"), peer.Address);
        Assert.False(peer.Trusted);
    }

    [Fact]
    public void We_read_a_makaretu_query_and_makaretu_reads_ours()
    {
        var query = new M.Message();
        query.Questions.Add(new M.Question { Name = "_tesseract._tcp.local", Type = M.DnsType.PTR });
        var ours = DnsMessageReader.Read(query.ToByteArray());
        var question = Assert.Single(ours.Questions);
        Assert.False(ours.IsResponse);
        Assert.Equal("_tesseract._tcp.local", question.Name);
        Assert.Equal(DnsType.Ptr, question.Type);

        var theirs = new M.Message();
        theirs.Read(DnsMessageWriter.Write(ServiceRecords.Query(Options)));
        Assert.True(theirs.IsQuery);
        Assert.Equal(M.DnsType.PTR, Assert.Single(theirs.Questions).Type);
    }
}
