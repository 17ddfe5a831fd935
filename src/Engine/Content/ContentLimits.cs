namespace Dreamwell.Content;

/// <summary>Bounds of the store: every item and every index row is checked against them.</summary>
public static class ContentLimits
{
    /// <summary>Largest item one publish accepts.</summary>
    public const long MaxItemBytes = 16L << 30;

    /// <summary>Most chunks one item may have (the chunk list is one index row of 32 bytes per chunk).</summary>
    public const int MaxChunks = 1 << 21;

    /// <summary>Largest item handed back as one byte array (Get-DreamContent -AsBytes) instead of a file.</summary>
    public const long MaxBytesAnswer = 1 << 20;
}
