namespace Dreamwell.Node.Discovery;

/// <summary>The bounds every incoming packet is held to before anything is read from it.</summary>
public static class DnsWireLimits
{
    /// <summary>RFC 6762 §17: a multicast DNS packet is at most 9000 bytes including headers.</summary>
    public const int MaxPacketSize = 9000;
    public const int MaxQuestions = 32;
    /// <summary>Answers, authority and additional records together.</summary>
    public const int MaxRecords = 64;
    public const int MaxNameLength = 255;
    public const int MaxLabelLength = 63;
    /// <summary>Compression pointers followed in one name; each must also point backwards, so loops are impossible.</summary>
    public const int MaxPointerHops = 16;
    public const int MaxTxtStrings = 32;
}
