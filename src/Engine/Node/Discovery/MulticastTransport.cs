using System.Net;
using System.Net.Sockets;

namespace Dreamwell.Node.Discovery;

/// <summary>
/// A UDP socket joined to the mDNS group on exactly one interface and sending only from it
/// (IP_MULTICAST_IF), with IP TTL 1. The interface setting is read back after it is applied, so a
/// platform that ignores it fails loudly instead of multicasting out of the default route.
/// Incoming packets are parsed within <see cref="DnsWireLimits"/>; bad ones are counted and dropped.
/// </summary>
internal sealed class MulticastTransport : IDisposable
{
    private readonly Socket _socket;
    private readonly IPEndPoint _groupEndPoint;
    private readonly bool _loopbackOnly;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiveLoop;
    private long _received;
    private long _malformed;
    private long _handlerFailures;
    private long _foreign;

    public MulticastTransport(DiscoveryOptions options, Action<DnsMessage, IPEndPoint> onMessage)
    {
        options.Validate();
        _groupEndPoint = new IPEndPoint(options.Group, options.Port);
        _loopbackOnly = IPAddress.IsLoopback(options.InterfaceAddress);
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _socket.Bind(new IPEndPoint(IPAddress.Any, options.Port));
            _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, options.InterfaceAddress.GetAddressBytes());
            _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(options.Group, options.InterfaceAddress));
            _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
            _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, options.MulticastTtl);
            VerifyPinned(options);
        }
        catch (SocketException e)
        {
            _socket.Dispose();
            throw new DreamException(DiscoveryErrors.SocketUnavailable, DreamErrorKind.ResourceUnavailable,
                $"Cannot open mDNS on {options.InterfaceAddress} for {options.Group}:{options.Port}: {e.Message}", e);
        }
        _receiveLoop = Task.Run(() => ReceiveLoop(onMessage));
    }

    public long PacketsReceived => Interlocked.Read(ref _received);
    public long MalformedPackets => Interlocked.Read(ref _malformed);
    public long HandlerFailures => Interlocked.Read(ref _handlerFailures);
    /// <summary>Packets from off-loopback senders dropped by a loopback-pinned transport.</summary>
    public long ForeignPackets => Interlocked.Read(ref _foreign);

    public void Send(DnsMessage message)
    {
        byte[] packet = DnsMessageWriter.Write(message);
        try { _socket.SendTo(packet, _groupEndPoint); }
        catch (SocketException) { } // a lost announcement is repeated on the next interval
        catch (ObjectDisposedException) { }
    }

    /// <summary>Sends bytes as they are; for tests that feed the group malformed packets.</summary>
    internal void SendRaw(byte[] packet)
    {
        try { _socket.SendTo(packet, _groupEndPoint); }
        catch (SocketException) { }
    }

    private void VerifyPinned(DiscoveryOptions options)
    {
        byte[] applied = (byte[])_socket.GetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, 4)!;
        if (!applied.AsSpan().SequenceEqual(options.InterfaceAddress.GetAddressBytes()))
        {
            _socket.Dispose();
            throw new DreamException(DiscoveryErrors.SocketUnavailable, DreamErrorKind.ResourceUnavailable,
                $"The platform did not pin multicast to {options.InterfaceAddress} (reads back {new IPAddress(applied)}); refusing to send.");
        }
    }

    private async Task ReceiveLoop(Action<DnsMessage, IPEndPoint> onMessage)
    {
        // One byte over the limit so an oversize datagram is seen as oversize, not silently truncated.
        byte[] buffer = new byte[DnsWireLimits.MaxPacketSize + 1];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try { result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { Interlocked.Increment(ref _malformed); continue; } // e.g. MessageSize on Windows
            // Linux hands a socket bound to the port group traffic joined on any interface by anyone
            // (IP_MULTICAST_ALL); a loopback-pinned node listens to loopback senders only.
            if (_loopbackOnly && !IPAddress.IsLoopback(((IPEndPoint)result.RemoteEndPoint).Address)) { Interlocked.Increment(ref _foreign); continue; }
            Interlocked.Increment(ref _received);
            DnsMessage message;
            try { message = DnsMessageReader.Read(buffer.AsSpan(0, result.ReceivedBytes)); }
            catch (DnsWireException) { Interlocked.Increment(ref _malformed); continue; }
            // A failing handler (e.g. a PeerSeen subscriber) must not stop discovery for everyone else.
            try { onMessage(message, (IPEndPoint)result.RemoteEndPoint); }
            catch (Exception) { Interlocked.Increment(ref _handlerFailures); }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try { _receiveLoop.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
