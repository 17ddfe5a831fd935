using System.Net;

namespace Dreamwell.Node.Discovery;

/// <summary>The DNS resource record types discovery reads and writes (RFC 1035, RFC 2782).</summary>
internal static class DnsType
{
    public const ushort A = 1;
    public const ushort Ptr = 12;
    public const ushort Txt = 16;
    public const ushort Srv = 33;
    public const ushort Any = 255;
}

internal sealed record DnsQuestion(string Name, ushort Type, bool UnicastResponse = false);

/// <summary>A resource record; types discovery does not use are skipped by the reader, never kept.</summary>
internal abstract record DnsRecord(string Name, uint Ttl, bool CacheFlush)
{
    public abstract ushort Type { get; }
}

internal sealed record PtrRecord(string Name, uint Ttl, string Target) : DnsRecord(Name, Ttl, CacheFlush: false)
{
    public override ushort Type => DnsType.Ptr;
}

internal sealed record SrvRecord(string Name, uint Ttl, ushort Port, string Target, ushort Priority = 0, ushort Weight = 0)
    : DnsRecord(Name, Ttl, CacheFlush: true)
{
    public override ushort Type => DnsType.Srv;
}

internal sealed record TxtRecord(string Name, uint Ttl, IReadOnlyList<string> Strings) : DnsRecord(Name, Ttl, CacheFlush: true)
{
    public override ushort Type => DnsType.Txt;
}

internal sealed record ARecord(string Name, uint Ttl, IPAddress Address) : DnsRecord(Name, Ttl, CacheFlush: true)
{
    public override ushort Type => DnsType.A;
}

/// <summary>
/// One mDNS message. Answer, authority and additional sections are read into one list because mDNS
/// treats every record in a response as an answer (RFC 6762 §6.2); queries keep only their questions.
/// </summary>
internal sealed record DnsMessage(bool IsResponse, IReadOnlyList<DnsQuestion> Questions, IReadOnlyList<DnsRecord> Answers, IReadOnlyList<DnsRecord> Additional)
{
    public IEnumerable<DnsRecord> AllRecords => Answers.Concat(Additional);

    internal static bool NameEquals(string a, string b) => string.Equals(a.TrimEnd('.'), b.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);
}
