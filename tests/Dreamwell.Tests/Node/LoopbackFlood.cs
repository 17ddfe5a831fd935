using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Dreamwell.Tests.Node;

/// <summary>
/// A connection flood on loopback from 127.0.0.2 … 127.0.0.(1+sources), so the per-address limits see many sources
/// and a friend on 127.0.0.1 is not one of them. Each attempt is one of: connect and reset at once; send a Noise
/// message 1 and leave; send message 1 and hold the connection without answering whatever comes back (what a
/// flood that ignores the puzzle does); send garbage. Shared by FloodTests and the node-flood bench.
/// </summary>
public sealed class LoopbackFlood
{
    private const int MaxHeld = 256;
    private readonly int _port;
    private readonly int _sources;
    private readonly int _workers;
    private readonly TimeSpan _hold;
    private readonly SemaphoreSlim _held = new(MaxHeld, MaxHeld);
    private long _attempts;
    private long _failed;

    public LoopbackFlood(int port, int sources = 16, int workers = 32, TimeSpan? hold = null)
    {
        _port = port;
        _sources = sources;
        _workers = workers;
        _hold = hold ?? TimeSpan.FromSeconds(2);
    }

    /// <summary>Connection attempts started so far.</summary>
    public long Attempts => Interlocked.Read(ref _attempts);

    /// <summary>Attempts whose connect or first write failed (refused, reset, timed out).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Floods until <paramref name="minimumDuration"/> has passed and at least <paramref name="minimumAttempts"/> were made, or the token ends it.</summary>
    public async Task RunAsync(TimeSpan minimumDuration, long minimumAttempts, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        bool Done() => cancellationToken.IsCancellationRequested || (clock.Elapsed >= minimumDuration && Attempts >= minimumAttempts);
        await Task.WhenAll(Enumerable.Range(0, _workers).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            for (var n = 0; !Done(); n++)
            {
                var source = IPAddress.Parse($"127.0.0.{2 + (worker + n) % _sources}");
                Interlocked.Increment(ref _attempts);
                try
                {
                    await AttemptAsync(source, random, cancellationToken);
                }
                catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
                {
                    Interlocked.Increment(ref _failed);
                }
            }
        }, CancellationToken.None)));
    }

    private async Task AttemptAsync(IPAddress source, Random random, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient(new IPEndPoint(source, 0)) { NoDelay = true, LingerState = new LingerOption(true, 0) };
        try
        {
            using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connectTimeout.CancelAfter(TimeSpan.FromSeconds(2));
            await tcp.ConnectAsync(IPAddress.Loopback, _port, connectTimeout.Token);
            var mode = random.Next(4);
            if (mode == 0) return;
            var stream = tcp.GetStream();
            if (mode == 3)
            {
                var garbage = new byte[random.Next(1, 256)];
                random.NextBytes(garbage);
                await stream.WriteAsync(garbage, cancellationToken);
                return;
            }
            var message1 = new byte[34];
            BinaryPrimitives.WriteUInt16BigEndian(message1, 32);
            random.NextBytes(message1.AsSpan(2));
            await stream.WriteAsync(message1, cancellationToken);
            if (mode == 2 && _held.Wait(0))
            {
                var held = tcp;
                tcp = null;
                _ = HoldAsync(held);
            }
        }
        finally
        {
            tcp?.Dispose();
        }
    }

    private async Task HoldAsync(TcpClient tcp)
    {
        try
        {
            using var hold = new CancellationTokenSource(_hold);
            var buffer = new byte[256];
            while (await tcp.GetStream().ReadAsync(buffer, hold.Token) > 0) { }
        }
        catch (Exception) { /* evicted, refused or held long enough */ }
        finally
        {
            tcp.Dispose();
            _held.Release();
        }
    }
}
