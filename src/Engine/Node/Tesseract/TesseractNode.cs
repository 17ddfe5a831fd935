using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Dreamwell.Chain;
using Dreamwell.Identity;
using Dreamwell.Node.Admission;
using Dreamwell.Node.Secure;

namespace Dreamwell.Node;

/// <summary>
/// A running tesseract: local control (LQTP) on the control port, encrypted peer links (FQTP over the
/// libp2p Noise channel) on the peer port, both on loopback. Records itself in $DREAMWELL_HOME/tesseract.json
/// while it runs.
/// </summary>
public sealed class TesseractNode : IAsyncDisposable
{
    public const string InfoFileName = "tesseract.json";
    private const int MaxRememberedLinks = 256;
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly DreamHome _home;
    private readonly IdentitySigner _signer;
    private readonly IdentityKeyPair _identity;
    private readonly TcpListener _peerListener;
    private readonly LocalControlServer _control;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<PeerLink, Task> _links = new();
    private readonly ConcurrentQueue<PeerLink> _linkHistory = new();
    private readonly ConcurrentDictionary<Task, byte> _background = new();
    private readonly object _chainGate = new();
    private readonly NodeObservations _observations = new();
    private NodeDiscovery? _discovery;
    private bool _chainValid = true;
    private readonly Stopwatch _uptime = Stopwatch.StartNew();
    private long _chainFileLength = -1;
    private (long Length, string Hash) _chainHead = (0, new string('0', 64));
    private int _stopRequested;

    private TesseractNode(DreamHome home, TesseractOptions options, IdentitySigner signer, TcpListener peerListener, LocalControlServer control)
    {
        _home = home;
        Options = options;
        _signer = signer;
        _identity = IdentityKeyPair.FromSigner(signer);
        _peerListener = peerListener;
        _control = control;
        KnownPeers = new KnownPeers(home);
        Friends = new Friends(home);
        Load = new LoadGuard(options.Load, Friends.IsFriend) { LoadChanged = (kind, message) => Raise(kind, QuantumId, null, message) };
        ShardBlade = new ShardBlade(this, new Quarantine(home), new TrustLedger(home, options.Clock), options.Clock);
        Name = string.IsNullOrWhiteSpace(options.Name) ? signer.Identity.Name : options.Name.Trim();
        Started = DateTimeOffset.UtcNow;
        ControlPort = ((IPEndPoint)control.Listener.LocalEndpoint).Port;
        PeerPort = ((IPEndPoint)peerListener.LocalEndpoint).Port;
    }

    public TesseractOptions Options { get; }
    public string Name { get; }
    public string QuantumId => _signer.Identity.QuantumId;
    public string Kind => _signer.Identity.Kind.ToString();
    internal byte[] PublicKey => _signer.Identity.PublicKey;
    public DateTimeOffset Started { get; }
    // Read once at start: a stopped TcpListener reports the requested endpoint (port 0 for ephemeral ports).
    public int ControlPort { get; }
    public int PeerPort { get; }
    public KnownPeers KnownPeers { get; }
    public Friends Friends { get; }
    public DreamHome Home => _home;
    internal LoadGuard Load { get; }

    /// <summary>What the load defences (limits, puzzle, tickets) see and have done.</summary>
    public LoadStatus LoadStatus() => Load.Snapshot();

    internal ShardBlade ShardBlade { get; }
    internal TrustLedger Trust => ShardBlade.Trust;

    internal IReadOnlyList<PeerService> Services { get; private set; } = [];
    private Dictionary<string, PeerService> _messageOwners = new();
    private Dictionary<byte, PeerService> _frameOwners = new();

    /// <summary>Completes once the node has stopped (by <see cref="StopAsync"/> or an LQTP stop request).</summary>
    public Task Stopped => _stopped.Task;

    public static string InfoPath(DreamHome home) => Path.Combine(home.Path, InfoFileName);

    /// <summary>Opens (or creates) the home's identity, binds both ports and starts serving.</summary>
    public static TesseractNode Start(DreamHome home, TesseractOptions options)
    {
        ArgumentNullException.ThrowIfNull(home);
        ArgumentNullException.ThrowIfNull(options);
        if (!IPAddress.IsLoopback(options.ControlAddress))
            throw new DreamException(TesseractErrors.NonLoopbackControl, DreamErrorKind.SecurityError,
                $"Local control binds to loopback only; {options.ControlAddress} is not a loopback address.");
        if (options.HeartbeatInterval <= TimeSpan.Zero)
            throw new DreamException("BadHeartbeatInterval", DreamErrorKind.InvalidArgument, "The heartbeat interval must be positive.");
        home.Ensure();
        RefuseIfRunning(home);

        var signer = IdentityAccess.OpenOrCreateSigner(home, out var identityCreated);
        TcpListener? peer = null;
        LocalControlServer? control = null;
        try
        {
            peer = Bind(options.PeerAddress, options.PeerPort, "peer");
            var controlListener = Bind(options.ControlAddress, options.ControlPort, "control");
            control = new LocalControlServer(controlListener, ControlToken.Create(home));
            var node = new TesseractNode(home, options, signer, peer, control);
            control.Attach(node);
            node.AttachServices([.. NodeServices.Create(node), node._observations, .. options.ExtraServices?.Invoke(node) ?? []]);
            node.RefreshChainHead();
            node.WriteInfo();
            node.Track(node.AcceptPeersAsync());
            node.Track(control.ServeAsync(node._stopping.Token));
            if (identityCreated)
                node.Raise("IdentityCreated", node.QuantumId, null, $"No identity was found, so one was created in '{home.IdentityFile}'.");
            node.Raise("Started", node.QuantumId, $"127.0.0.1:{node.PeerPort}", $"{node.Name} listening: control {node.ControlPort}, peers {node.PeerPort}.");
            foreach (var service in node.Services) service.Started();
            node._discovery = NodeDiscovery.Start(node, options.Discovery);
            return node;
        }
        catch
        {
            peer?.Stop();
            control?.Listener.Stop();
            signer.Dispose();
            throw;
        }
    }

    public TesseractStatus Status()
    {
        var probe = Stopwatch.GetTimestamp();
        var (length, head) = ChainHead();
        var chainProbe = Stopwatch.GetElapsedTime(probe);
        var peers = Peers();
        var discovered = peers.Count(p => p.State == PeerStates.Discovered);
        return new TesseractStatus(Name, QuantumId, Environment.ProcessId, ControlPort, PeerPort, Started, _uptime.Elapsed,
            peers.Count(p => p.State == PeerStates.Connected), KnownPeers.All().Count, length, head)
        {
            Discovery = _discovery?.State ?? NodeDiscovery.Off,
            Health = _observations.Observe(this, _chainValid, chainProbe, discovered, _discovery?.MalformedPackets ?? 0),
        };
    }

    /// <summary>The newest link per peer (open ones first), so a reconnect replaces its closed predecessor.</summary>
    public IReadOnlyList<TesseractPeer> Peers() =>
        _links.Keys.Concat(_linkHistory).Distinct()
            .Select(l => l.Snapshot())
            .GroupBy(p => p.QuantumId)
            .Select(g => g.OrderBy(p => p.State == PeerStates.Connected ? 0 : 1).ThenByDescending(p => p.LastSeen).First())
            .Concat(DiscoveredOnly())
            .OrderBy(p => p.Label, StringComparer.OrdinalIgnoreCase)
            .ToList();

    /// <summary>Peers discovery has seen that have no link (open or past): untrusted addresses to dial, State "Discovered".</summary>
    private IEnumerable<TesseractPeer> DiscoveredOnly()
    {
        if (_discovery is not { Running: true } discovery) return [];
        var linked = _links.Keys.Concat(_linkHistory).Select(l => l.QuantumId).ToHashSet(StringComparer.Ordinal);
        return discovery.Peers().Where(d => !linked.Contains(d.QuantumId)).Select(d => new TesseractPeer(
            d.Name, d.QuantumId, PeerStates.Discovered, "", $"{d.Address}:{d.Port}", d.LastSeen, 0, new string('0', 64), 0, null));
    }

    /// <summary>host:port a peer announced on the link for this QuantumId (discovery), or null. Untrusted: dial and verify.</summary>
    public string? DiscoveredAddressOf(string quantumId) => _discovery?.AddressOf(quantumId);

    /// <summary>
    /// Dials host:port, runs the handshake and hello, and returns the connected peer. With <paramref name="expectedQuantumId"/>
    /// the proven key must be that peer's, or the link is refused (PeerKeyMismatch) and ShardBlade strikes.
    /// </summary>
    public async Task<TesseractPeer> ConnectAsync(string address, CancellationToken cancellationToken, string? expectedQuantumId = null)
    {
        var (host, port) = ParseAddress(address);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        linked.CancelAfter(Options.HandshakeTimeout);
        var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            client.Dispose();
            throw new DreamException(TesseractErrors.PeerRefused, DreamErrorKind.ResourceUnavailable, $"Could not reach {host}:{port}: {e.Message}");
        }
        var link = await EstablishAsync(client, $"{host}:{port}", outbound: true, admission: null, linked.Token, expectedQuantumId).ConfigureAwait(false);
        return link.Snapshot();
    }

    /// <summary>Asks the node to stop; returns at once. <see cref="Stopped"/> completes when it has.</summary>
    public void RequestStop()
    {
        if (Interlocked.Exchange(ref _stopRequested, 1) == 1) return;
        _ = Task.Run(ShutdownAsync);
    }

    public async Task StopAsync()
    {
        RequestStop();
        await Stopped.ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    internal byte[] Sign(byte[] message) => _signer.Sign(message);

    /// <summary>Appends an entry to this node's seal chain (audit records, receipts of transfers).</summary>
    internal SealEntry AppendToChain(string operation, IReadOnlyList<byte[]> subjects, string payload)
    {
        lock (_chainGate)
        {
            var entry = SealChain.Append(_home, _signer, operation, subjects, payload);
            _chainFileLength = -1;
            return entry;
        }
    }

    /// <summary>Signs and chains a receipt for work the node did (a fetch, a sent or received file).</summary>
    internal DreamReceipt IssueReceipt(ReceiptDraft draft)
    {
        lock (_chainGate)
        {
            var receipt = ReceiptBook.Issue(_home, _signer, draft);
            _chainFileLength = -1;
            return receipt;
        }
    }

    /// <summary>The open link to a peer (by QuantumId or label), or null.</summary>
    internal PeerLink? FindLink(string quantumIdOrLabel) =>
        _links.Keys.Where(l => l.IsOpen).FirstOrDefault(l => l.QuantumId.Equals(quantumIdOrLabel, StringComparison.OrdinalIgnoreCase))
        ?? _links.Keys.Where(l => l.IsOpen).FirstOrDefault(l => l.Label.Equals(quantumIdOrLabel, StringComparison.OrdinalIgnoreCase));

    internal IReadOnlyList<PeerLink> OpenLinks() => _links.Keys.Where(l => l.IsOpen).ToList();

    internal PeerService? ServiceForMessage(string type) => _messageOwners.GetValueOrDefault(type);

    internal PeerService? ServiceForFrame(byte kind) => _frameOwners.GetValueOrDefault(kind);

    private void AttachServices(IReadOnlyList<PeerService> services)
    {
        var messages = new Dictionary<string, PeerService>(StringComparer.Ordinal);
        var frames = new Dictionary<byte, PeerService>();
        foreach (var service in services)
        {
            foreach (var type in service.MessageTypes) messages.Add(type, service);
            foreach (var kind in service.FrameKinds)
            {
                if (kind == (byte)'{') throw new InvalidOperationException("0x7B starts JSON messages; a binary frame kind cannot use it.");
                frames.Add(kind, service);
            }
            foreach (var (method, handler) in service.ControlMethods) _control.Register(method, handler);
        }
        Services = services;
        _messageOwners = messages;
        _frameOwners = frames;
    }

    internal void LinkUp(PeerLink link)
    {
        foreach (var service in Services)
        {
            try { service.LinkUp(link); }
            catch (Exception e) { Raise("ServiceFailed", link.QuantumId, link.Address, $"{service.GetType().Name}: {e.Message}"); }
        }
    }

    internal void LinkDown(PeerLink link, string reason)
    {
        foreach (var service in Services)
        {
            try { service.LinkDown(link, reason); }
            catch (Exception e) { Raise("ServiceFailed", link.QuantumId, link.Address, $"{service.GetType().Name}: {e.Message}"); }
        }
    }

    /// <summary>
    /// A peer broke the rules (bad signature, fork, replay, protocol violation, key mismatch, rate abuse): ShardBlade
    /// quarantines it, freezes its trust and audits it in our chain. The caller closes the offending link.
    /// quantumId is null when no key was proven.
    /// </summary>
    internal void Misbehaved(string? quantumId, string address, string errorId, string message)
    {
        Raise("Misbehaved", quantumId, address, $"{errorId}: {message}");
        ShardBlade.Strike(quantumId, address, errorId, message);
    }

    internal void Raise(string kind, string? quantumId, string? address, string message)
    {
        _observations.Saw(kind);
        try { Options.OnEvent?.Invoke(new TesseractEvent(DateTimeOffset.UtcNow, kind, quantumId, address, message)); }
        catch (Exception) { /* an observer's failure must not take the node down */ }
    }

    /// <summary>Length and head hash of our seal chain, re-verified only when the chain file has changed.</summary>
    internal (long Length, string Hash) ChainHead()
    {
        RefreshChainHead();
        lock (_chainGate) return _chainHead;
    }

    private void RefreshChainHead()
    {
        lock (_chainGate)
        {
            var length = File.Exists(_home.ChainFile) ? new FileInfo(_home.ChainFile).Length : 0;
            if (length == _chainFileLength) return;
            var verdict = SealChain.Verify(_home);
            _chainHead = (verdict.Length, verdict.HeadHash);
            _chainValid = verdict.IsValid;
            _chainFileLength = length;
        }
    }

    private async Task AcceptPeersAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _peerListener.AcceptTcpClientAsync(_stopping.Token).ConfigureAwait(false); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { if (_stopping.IsCancellationRequested) return; continue; }
            var remote = client.Client.RemoteEndPoint as IPEndPoint;
            var slot = remote is null ? null : Load.Accept(remote.Address, client.Dispose);
            if (slot is null)
            {
                client.Dispose();
                continue;
            }
            // Off the accept loop: a message 1 already waiting would otherwise run the handshake inline and slow every accept behind it.
            Track(Task.Run(() => AcceptOneAsync(client, remote!.ToString(), slot)));
        }
    }

    private async Task AcceptOneAsync(TcpClient client, string address, InboundSlot slot)
    {
        try
        {
            PeerLink link;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token))
            {
                timeout.CancelAfter(Options.HandshakeTimeout);
                link = await EstablishAsync(client, address, outbound: false, Load.Inbound(slot), timeout.Token).ConfigureAwait(false);
            }
            slot.Established();
            // The connection keeps its place in the limits until its link ends.
            if (_links.TryGetValue(link, out var run)) await run.ConfigureAwait(false);
        }
        catch (Exception e) when (e is DreamException or IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Already reported by EstablishAsync; an inbound failure only ends that connection.
        }
        finally
        {
            slot.Dispose();
        }
    }

    private async Task<PeerLink> EstablishAsync(TcpClient client, string address, bool outbound, InboundAdmission? admission, CancellationToken cancellationToken, string? expectedQuantumId = null)
    {
        client.NoDelay = true;
        var began = Stopwatch.GetTimestamp();
        var stream = client.GetStream();
        SecureConnection connection;
        try
        {
            var options = new SecureChannelOptions
            {
                HandshakeTimeout = Options.HandshakeTimeout, Admit = admission is null ? null : admission.AdmitAsync,
                AdmissionTicket = outbound ? Load.TicketFor(address) : null, MaxPuzzleBits = Math.Max(24, Options.Load.PuzzleMaxBits),
            };
            connection = outbound
                ? await SecureChannel.ConnectAsync(stream, _identity, options, cancellationToken).ConfigureAwait(false)
                : await SecureChannel.AcceptAsync(stream, _identity, options, cancellationToken).ConfigureAwait(false);
            if (admission?.TicketHolder is { } holder && holder != DreamIdentity.QuantumIdOf(connection.RemoteEd25519Key))
            {
                connection.Dispose();
                var misuse = new DreamException(AdmissionErrors.TicketMisuse, DreamErrorKind.SecurityError,
                    $"A ticket issued to {holder} was presented by {DreamIdentity.QuantumIdOf(connection.RemoteEd25519Key)}.");
                Misbehaved(DreamIdentity.QuantumIdOf(connection.RemoteEd25519Key), address, misuse.ErrorId, misuse.Message);
                throw misuse;
            }
        }
        catch (Exception e)
        {
            client.Dispose();
            // Under load one event per failed stranger would flood the event stream; UnderLoad / LoadEased stand for them.
            if (outbound || !Load.UnderLoad) Raise("HandshakeFailed", null, address, e.Message);
            if (e is DreamException { ErrorId: var failed } && ShardBladeReasons.IsHandshakeMisbehaviour(failed)) Misbehaved(null, address, failed, e.Message);
            throw Wrap(e, "The secure handshake failed");
        }

        var link = new PeerLink(this, connection, address, outbound);
        try
        {
            ShardBlade.Admit(link.QuantumId, address);
            if (expectedQuantumId is not null && !expectedQuantumId.Equals(link.QuantumId, StringComparison.OrdinalIgnoreCase))
                throw new DreamException(TesseractErrors.PeerKeyMismatch, DreamErrorKind.SecurityError,
                    $"{address} proved the key of {link.QuantumId}, not of {expectedQuantumId.ToLowerInvariant()} that was asked for. Refused.");
            await link.ExchangeHellosAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var error = Wrap(e, "The hello exchange failed");
            if (e is DreamException d && (d.ErrorId is TesseractErrors.PeerKeyMismatch or TesseractErrors.ProtocolViolation or TesseractErrors.UnsupportedVersion or TesseractErrors.PeerRefused or TesseractErrors.PeerQuarantined or TesseractErrors.BadSignature || DelegationErrors.IsPeerRefusal(d.ErrorId)))
            {
                try
                {
                    using var brief = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                    await connection.SendAsync(FqtpMessages.EncodeError(d.ErrorId, d.Message), brief.Token).ConfigureAwait(false);
                }
                catch (Exception) { /* best effort */ }
            }
            link.Close(error.Message);
            Remember(link, refused: true, error.Message);
            if (ShardBladeReasons.IsLinkMisbehaviour(error.ErrorId) || DelegationErrors.IsPeerRefusal(error.ErrorId))
                Misbehaved(link.QuantumId, address, error.ErrorId, error.Message);
            Raise("PeerRefused", link.QuantumId, address, error.Message);
            throw error;
        }

        _observations.HandshakeCompleted(Stopwatch.GetElapsedTime(began));
        _links[link] = Task.CompletedTask;
        var run = Task.Run(async () =>
        {
            await link.RunAsync(_stopping.Token).ConfigureAwait(false);
            _links.TryRemove(link, out _);
            Remember(link, refused: false, null);
        });
        _links[link] = run;
        Track(run);
        return link;
    }

    private void Remember(PeerLink link, bool refused, string? reason)
    {
        if (refused) link.MarkRefused(reason);
        _linkHistory.Enqueue(link);
        while (_linkHistory.Count > MaxRememberedLinks && _linkHistory.TryDequeue(out _)) { }
    }

    private static DreamException Wrap(Exception e, string what) => e switch
    {
        DreamException d => d,
        OperationCanceledException => new DreamException(TesseractErrors.PeerRefused, DreamErrorKind.ResourceUnavailable, $"{what}: timed out."),
        _ => new DreamException(TesseractErrors.PeerRefused, DreamErrorKind.ResourceUnavailable, $"{what}: {e.Message}", e),
    };

    private async Task ShutdownAsync()
    {
        try
        {
            Raise("Stopping", QuantumId, null, $"{Name} is stopping.");
            _discovery?.Dispose();
            _stopping.Cancel();
            _peerListener.Stop();
            _control.Listener.Stop();
            var pending = _background.Keys.ToArray();
            await Task.WhenAny(Task.WhenAll(pending), Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
            foreach (var link in _links.Keys) link.Close("The node stopped.");
            foreach (var service in Services)
            {
                try { service.Stopped(); }
                catch (Exception) { /* stopping goes on */ }
            }
            try { ShardBlade.Flush(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Raise("TrustNotSaved", QuantumId, null, e.Message); }
            RemoveInfo();
            Raise("Stopped", QuantumId, null, $"{Name} stopped.");
        }
        finally
        {
            _signer.Dispose();
            _identity.Dispose();
            Load.Dispose();
            _stopped.TrySetResult();
        }
    }

    private void Track(Task task)
    {
        _background[task] = 0;
        _ = task.ContinueWith(t => _background.TryRemove(t, out _), TaskScheduler.Default);
    }

    private void WriteInfo()
    {
        var info = new TesseractInfo(Environment.ProcessId, Name, QuantumId, ControlPort, PeerPort, Started);
        AtomicFile.Write(InfoPath(_home), s => JsonSerializer.Serialize(s, info, Json), overwrite: true, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>Removes tesseract.json and the token, but only while they still describe this node.</summary>
    private void RemoveInfo()
    {
        var current = ReadInfo(_home);
        if (current is null || current.Pid != Environment.ProcessId || current.ControlPort != ControlPort) return;
        // The token goes first: whoever waits for tesseract.json to vanish (Stop-Tesseract) then finds both gone.
        AtomicFile.TryDelete(ControlToken.PathIn(_home));
        AtomicFile.TryDelete(InfoPath(_home));
    }

    public static TesseractInfo? ReadInfo(DreamHome home)
    {
        var path = InfoPath(home);
        if (!File.Exists(path) || new FileInfo(path).Length > 64 * 1024) return null;
        try { return JsonSerializer.Deserialize<TesseractInfo>(File.ReadAllBytes(path), Json); }
        catch (JsonException) { return null; }
        catch (IOException) { return null; }
    }

    private static void RefuseIfRunning(DreamHome home)
    {
        var info = ReadInfo(home);
        if (info is null) return;
        try
        {
            using var probe = new TcpClient();
            if (probe.ConnectAsync(IPAddress.Loopback, info.ControlPort).Wait(TimeSpan.FromSeconds(1)) && IsAlive(info.Pid))
                throw new DreamException(TesseractErrors.AlreadyRunning, DreamErrorKind.AlreadyExists,
                    $"A tesseract ({info.Name}, pid {info.Pid}, control port {info.ControlPort}) already runs for '{home.Path}'. Stop it with Stop-Tesseract, or use another DREAMWELL_HOME.");
        }
        catch (AggregateException) { /* nothing listens: the file is stale and is replaced */ }
        catch (SocketException) { }
    }

    private static bool IsAlive(int pid)
    {
        try { using var process = Process.GetProcessById(pid); return !process.HasExited; }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    private static TcpListener Bind(IPAddress address, int port, string what)
    {
        if (port is < 0 or > 65535)
            throw new DreamException("BadPort", DreamErrorKind.InvalidArgument, $"The {what} port must be between 0 and 65535, not {port}.");
        var listener = new TcpListener(address, port);
        try
        {
            listener.Start();
            return listener;
        }
        catch (SocketException e)
        {
            listener.Stop();
            throw new DreamException(TesseractErrors.PortInUse, DreamErrorKind.ResourceUnavailable, $"Cannot listen on {address}:{port} for {what}: {e.Message}", e);
        }
    }

    internal static (string Host, int Port) ParseAddress(string address)
    {
        var text = address?.Trim() ?? "";
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1 || !int.TryParse(text[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new DreamException(TesseractErrors.BadPeerAddress, DreamErrorKind.InvalidArgument, $"'{address}' is not host:port (for example 127.0.0.1:9618).");
        var host = text[..colon].Trim('[', ']');
        return (host, port);
    }
}
