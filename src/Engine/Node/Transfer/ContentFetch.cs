using Dreamwell.Content;

namespace Dreamwell.Node;

/// <summary>The requester's side of one observe: the manifest as it arrives, the wanted chunks in flight, and the window.</summary>
internal sealed class ContentFetch(PeerLink link, uint request, string name, ContentStore store)
{
    public const int Window = 256;

    public PeerLink Link { get; } = link;
    public uint Request { get; } = request;
    public string Name { get; } = name;
    public ContentStore Store { get; } = store;
    public object Gate { get; } = new();

    public TaskCompletionSource Manifest { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource AllArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public SemaphoreSlim Slots { get; } = new(Window, Window);

    public long Size { get; set; }
    public string ContentHash { get; set; } = "";
    public int ExpectedChunks { get; set; } = -1;
    public List<(string Hash, int Size)> Chunks { get; } = [];

    /// <summary>Wanted chunk hash → size, until it has arrived and verified.</summary>
    public Dictionary<string, int> Outstanding { get; } = new(StringComparer.Ordinal);
    public bool AllWanted { get; set; }

    public string? CurrentHash { get; set; }
    public byte[] CurrentBuffer { get; set; } = [];
    public int CurrentFilled { get; set; }

    public int ChunksFetched { get; set; }
    public long BytesFetched { get; set; }

    /// <summary>Cancelled when the fetch fails, so a wait for the window ends at once.</summary>
    public CancellationTokenSource Aborted { get; } = new();

    public void Fail(Exception error)
    {
        try { Aborted.Cancel(); } catch (ObjectDisposedException) { }
        Manifest.TrySetException(error);
        AllArrived.TrySetException(error);
    }
}
