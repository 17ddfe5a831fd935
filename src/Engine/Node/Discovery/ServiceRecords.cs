using System.Globalization;
using System.Net;

namespace Dreamwell.Node.Discovery;

/// <summary>
/// The DNS-SD record set of one announcement (RFC 6763): PTR service → instance, SRV instance → host:port,
/// TXT instance → key=value fields, A host → address; and the reverse, records → <see cref="DiscoveredPeer"/>.
/// </summary>
internal static class ServiceRecords
{
    public const string ServiceEnumeration = "_services._dns-sd._udp.local";
    public const string TxtVersionKey = "txtvers";
    public const string QuantumIdKey = "qid";
    public const string NameKey = "name";
    public const string PortKey = "port";
    public const string ProtocolVersionKey = "pv";

    public static string InstanceFqdn(ServiceAnnouncement announcement, DiscoveryOptions options) =>
        $"{announcement.InstanceName}.{options.ServiceType}";

    public static string HostFqdn(ServiceAnnouncement announcement) => $"dw-{announcement.QuantumId}.local";

    /// <summary>PTR in answers, SRV/TXT/A in additional records; <paramref name="ttl"/> 0 is a goodbye.</summary>
    public static DnsMessage Announcement(ServiceAnnouncement announcement, DiscoveryOptions options, uint ttl)
    {
        string instance = InstanceFqdn(announcement, options);
        string host = HostFqdn(announcement);
        var answers = new List<DnsRecord> { new PtrRecord(options.ServiceType, ttl, instance) };
        var additional = new List<DnsRecord>
        {
            new SrvRecord(instance, ttl, (ushort)announcement.PeerPort, host),
            new TxtRecord(instance, ttl, Txt(announcement)),
            new ARecord(host, ttl, options.InterfaceAddress),
        };
        return new DnsMessage(IsResponse: true, [], answers, additional);
    }

    public static DnsMessage ServiceTypeAnswer(DiscoveryOptions options, uint ttl) =>
        new(IsResponse: true, [], [new PtrRecord(ServiceEnumeration, ttl, options.ServiceType)], []);

    public static DnsMessage Query(DiscoveryOptions options) =>
        new(IsResponse: false, [new DnsQuestion(options.ServiceType, DnsType.Ptr)], [], []);

    public static IReadOnlyList<string> Txt(ServiceAnnouncement announcement) =>
    [
        $"{TxtVersionKey}=1",
        $"{QuantumIdKey}={announcement.QuantumId}",
        $"{NameKey}={announcement.Name}",
        $"{PortKey}={announcement.PeerPort.ToString(CultureInfo.InvariantCulture)}",
        $"{ProtocolVersionKey}={announcement.ProtocolVersion.ToString(CultureInfo.InvariantCulture)}",
    ];

    /// <summary>
    /// Every Dreamwell peer in a response, with TTL 0 records reported as goodbyes. Records that do not
    /// validate (bad QuantumId, ports that disagree, missing SRV/TXT) yield nothing.
    /// </summary>
    public static IEnumerable<(string Instance, DiscoveredPeer? Peer)> Peers(DnsMessage message, DiscoveryOptions options, IPAddress source, DateTimeOffset now)
    {
        if (!message.IsResponse) yield break;
        var records = message.AllRecords.ToList();
        foreach (var ptr in records.OfType<PtrRecord>())
        {
            if (!DnsMessage.NameEquals(ptr.Name, options.ServiceType)) continue;
            string instance = ptr.Target;
            if (ptr.Ttl == 0) { yield return (instance, null); continue; }
            var srv = records.OfType<SrvRecord>().FirstOrDefault(r => DnsMessage.NameEquals(r.Name, instance));
            var txt = records.OfType<TxtRecord>().FirstOrDefault(r => DnsMessage.NameEquals(r.Name, instance));
            if (srv is null || txt is null) continue;
            var address = records.OfType<ARecord>().FirstOrDefault(r => DnsMessage.NameEquals(r.Name, srv.Target))?.Address ?? source;
            var peer = FromTxt(instance, options, srv, txt, address, now, Math.Min(srv.Ttl, txt.Ttl));
            if (peer is not null) yield return (instance, peer);
        }
    }

    private static DiscoveredPeer? FromTxt(string instance, DiscoveryOptions options, SrvRecord srv, TxtRecord txt, IPAddress address, DateTimeOffset now, uint ttl)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string entry in txt.Strings)
        {
            int equals = entry.IndexOf('=');
            if (equals <= 0) continue;
            fields.TryAdd(entry[..equals], entry[(equals + 1)..]); // RFC 6763 §6.4: the first occurrence wins
        }
        if (!fields.TryGetValue(QuantumIdKey, out var quantumId) || !ServiceAnnouncement.IsQuantumId(quantumId)) return null;
        if (!fields.TryGetValue(NameKey, out var name) || !ServiceAnnouncement.IsDisplayName(name)) return null;
        if (!fields.TryGetValue(PortKey, out var portText) || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port != srv.Port || port == 0) return null;
        if (!fields.TryGetValue(ProtocolVersionKey, out var pvText) || !int.TryParse(pvText, NumberStyles.None, CultureInfo.InvariantCulture, out int protocolVersion) || protocolVersion is < 1 or > 9999) return null;
        string suffix = "." + options.ServiceType;
        string label = instance.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) ? instance[..^suffix.Length] : instance;
        return new DiscoveredPeer(label, quantumId, name, address, port, protocolVersion, now, now + TimeSpan.FromSeconds(ttl));
    }
}
