namespace Dreamwell.Node;

/// <summary>The sending side of one Send-DreamFile while it runs: what the receiver said it holds, and how the offer ended.</summary>
internal sealed class OutboundTransfer(string id, PeerLink link, string name, long size)
{
    public string Id { get; } = id;
    public PeerLink Link { get; } = link;
    public string Name { get; } = name;
    public long Size { get; } = size;
    public int ChunkCount { get; } = TransferWire.ChunkCount(size);
    public object Gate { get; } = new();

    /// <summary>Chunks the receiver already holds (index → hash), as its have frames listed them.</summary>
    public Dictionary<int, byte[]> Have { get; } = new();
    public TaskCompletionSource HaveComplete { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource<(PeerReceipt Receipt, string StoredAs)> Received { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public CancellationTokenSource Aborted { get; } = new();

    public long BytesDone;
    public long BytesSent;

    public void Fail(Exception error)
    {
        HaveComplete.TrySetException(error);
        Received.TrySetException(error);
        try { Aborted.Cancel(); } catch (ObjectDisposedException) { }
    }
}
