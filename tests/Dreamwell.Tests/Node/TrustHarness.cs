using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Dreamwell.Chain;
using Dreamwell.Node;
using Dreamwell.Node.Secure;
using Dreamwell.Tests.Support;

namespace Dreamwell.Tests.Node;

/// <summary>
/// A loopback TCP relay between a dialer and a node's peer port that sees every 2-byte-length-prefixed frame the
/// dialer sends (handshake messages, then encrypted transport frames), and can inject extra frames towards the node.
/// </summary>
internal sealed class FrameRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _towardsTarget = new(1, 1);
    private readonly List<Task> _pumps = [];
    private NetworkStream? _targetStream;

    public FrameRelay(int targetPort)
    {
        _target = targetPort;
        _listener.Start();
        _pumps.Add(Task.Run(AcceptOneAsync));
    }

    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Whole frames (length prefix included) from the dialer, in order.</summary>
    public ConcurrentQueue<byte[]> FromDialer { get; } = new();

    public byte[] Frame(int index) => FromDialer.ElementAt(index);

    /// <summary>Writes a frame towards the node between two forwarded frames.</summary>
    public async Task InjectAsync(byte[] frame)
    {
        await _towardsTarget.WaitAsync();
        try { await _targetStream!.WriteAsync(frame); }
        finally { _towardsTarget.Release(); }
    }

    private async Task AcceptOneAsync()
    {
        using var dialer = await _listener.AcceptTcpClientAsync(_stop.Token);
        using var target = new TcpClient { NoDelay = true };
        await target.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
        _targetStream = target.GetStream();
        var back = CopyAsync(target.GetStream(), dialer.GetStream());
        try
        {
            var from = dialer.GetStream();
            var header = new byte[2];
            while (await from.ReadAtLeastAsync(header, 2, throwOnEndOfStream: false, _stop.Token) == 2)
            {
                var frame = new byte[2 + BinaryPrimitives.ReadUInt16BigEndian(header)];
                header.CopyTo(frame, 0);
                await from.ReadExactlyAsync(frame.AsMemory(2), _stop.Token);
                FromDialer.Enqueue(frame);
                await _towardsTarget.WaitAsync(_stop.Token);
                try { await _targetStream.WriteAsync(frame, _stop.Token); }
                finally { _towardsTarget.Release(); }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or EndOfStreamException or ObjectDisposedException) { }
        try { await back; } catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException) { }
    }

    private async Task CopyAsync(Stream from, Stream to)
    {
        try { await from.CopyToAsync(to, _stop.Token); }
        finally { to.Dispose(); }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await Task.WhenAll(_pumps).WaitAsync(TestNode.Bound); } catch (Exception) { /* torn down either way */ }
    }
}

internal static class TrustAssert
{
    /// <summary>The node is still up, its chain verifies, and exactly the expected ShardBlade event was audited.</summary>
    public static async Task<ShardBladeEvent> AuditedAsync(TestNode node, string reason, string? quantumId)
    {
        await Poll.UntilAsync(() => ShardBladeLog.Read(node.Home).Any(e => e.Reason == reason && e.QuantumId == quantumId), $"a {reason} audit entry");
        var audited = ShardBladeLog.Read(node.Home).Last(e => e.Reason == reason && e.QuantumId == quantumId);
        var entry = SealChain.Read(node.Home).Single(e => e.Index == audited.ChainIndex);
        Assert.Equal("shardblade", entry.Operation);
        Assert.True(SealChain.Verify(node.Home).IsValid, "the seal chain must still verify");
        Assert.Contains(node.Events, e => e.Kind == "ShardBlade" && e.Message.StartsWith(reason));
        Assert.Equal(node.Node.Name, (await TesseractClient.ForHome(node.Home).StatusAsync().WaitAsync(TestNode.Bound)).Name);
        return audited;
    }
}
