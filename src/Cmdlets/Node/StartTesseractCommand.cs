using System.Collections.Concurrent;
using System.Management.Automation;
using System.Net;
using Dreamwell.Node;
using Dreamwell.Node.Discovery;

namespace Dreamwell.Cmdlets;

/// <summary>
/// Starts a tesseract node in this process as a job: Receive-Job gives its events (all but heartbeats), Stop-Job stops it
/// (so does Stop-Tesseract). The ports are bound before the job is returned, so a busy port is an error here.
/// With -Detached it runs `dream tesseract start` as its own process instead and returns the node's status.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "Tesseract", SupportsShouldProcess = true)]
[OutputType(typeof(DreamJob), typeof(TesseractStatus))]
public sealed class StartTesseractCommand : DreamCmdlet
{
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter]
    [ValidateRange(0, 65535)]
    public int ControlPort { get; set; } = TesseractOptions.DefaultControlPort;

    [Parameter]
    [ValidateRange(0, 65535)]
    public int PeerPort { get; set; } = TesseractOptions.DefaultPeerPort;

    /// <summary>Time between heartbeats on every link (default 1618 ms).</summary>
    [Parameter]
    public TimeSpan HeartbeatInterval { get; set; } = TesseractOptions.DefaultHeartbeatInterval;

    /// <summary>UDP port of mDNS discovery (9619 private by default, 5353 to be seen by avahi/Bonjour).</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int DiscoveryPort { get; set; } = TesseractOptions.DefaultDiscoveryPort;

    /// <summary>The IPv4 address of the interface discovery speaks on; loopback unless given (LAN discovery is opt-in).</summary>
    [Parameter]
    public IPAddress DiscoveryInterface { get; set; } = IPAddress.Loopback;

    [Parameter]
    public SwitchParameter NoDiscovery { get; set; }

    /// <summary>Run the node as its own `dream tesseract start` process that outlives this session.</summary>
    [Parameter]
    public SwitchParameter Detached { get; set; }

    protected override void EndProcessing()
    {
        if (HeartbeatInterval < TimeSpan.FromMilliseconds(10) || HeartbeatInterval > TimeSpan.FromHours(1))
        {
            WriteDreamError(new DreamException("BadHeartbeatInterval", DreamErrorKind.InvalidArgument, "-HeartbeatInterval must be between 10 ms and 1 hour."), HeartbeatInterval);
            return;
        }
        if (!NoDiscovery && DiscoveryInterface.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            WriteDreamError(new DreamException(DiscoveryErrors.InvalidAnnouncement, DreamErrorKind.InvalidArgument, $"-DiscoveryInterface must be an IPv4 address; {DiscoveryInterface} is not."), DiscoveryInterface);
            return;
        }
        var discovery = NoDiscovery ? "no discovery" : $"discovery on {DiscoveryInterface}:{DiscoveryPort}";
        var how = Detached ? "as a detached dream process" : "in this session";
        if (!ShouldProcess(Home.Path, $"Start a tesseract node {how} on 127.0.0.1 (control port {ControlPort}, peer port {PeerPort}, {discovery}) and write tesseract.json and control.token"))
            return;
        if (Detached)
        {
            StartDetached();
            return;
        }
        var events = new BlockingCollection<TesseractEvent>(new ConcurrentQueue<TesseractEvent>(), boundedCapacity: 10_000);
        TesseractNode node;
        var hadIdentity = Dreamwell.Identity.IdentityStore.Exists(Home);
        try
        {
            node = TesseractNode.Start(Home, new TesseractOptions
            {
                Name = Name, ControlPort = ControlPort, PeerPort = PeerPort, HeartbeatInterval = HeartbeatInterval,
                Discovery = NoDiscovery ? null : new DiscoveryOptions { Port = DiscoveryPort, InterfaceAddress = DiscoveryInterface },
                // Heartbeats would pile up in a job nobody receives (one per peer every 1.6 s); Get-TesseractPeer counts them.
                // Other events are dropped rather than stall the node when the queue is full.
                OnEvent = e => { if (e.Kind != "Heartbeat" && !events.IsAddingCompleted) events.TryAdd(e); },
            });
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Home.Path);
            return;
        }

        if (!hadIdentity)
            WriteWarning($"No identity was found, so one was created in '{Home.IdentityFile}' ({node.QuantumId}). Use New-DreamIdentity -Force to choose a name or a passphrase.");
        var job = new DreamJob(MyInvocation.Line, $"Tesseract-{node.Name}", "TesseractJob", context =>
        {
            using var stopJob = context.CancellationToken.Register(node.RequestStop);
            node.Stopped.ContinueWith(_ => events.CompleteAdding(), TaskScheduler.Default);
            foreach (var item in events.GetConsumingEnumerable()) context.WriteObject(item);
            node.Stopped.GetAwaiter().GetResult();
        });
        WriteObject(DreamJob.Start(this, job));
    }

    private void StartDetached()
    {
        try
        {
            var dream = DreamLocator.Find();
            var arguments = DetachedTesseract.Arguments(Name, ControlPort, PeerPort, HeartbeatInterval, NoDiscovery ? null : DiscoveryPort, DiscoveryInterface);
            var started = RunEngine("Starting a detached tesseract", (_, token) =>
                DetachedTesseract.Start(Home, dream, arguments, DetachedTesseract.DefaultReadyTimeout, token));
            WriteVerbose($"Detached tesseract pid {started.Status.ProcessId}, log '{started.LogPath}'. Stop it with Stop-Tesseract.");
            WriteObject(started.Status);
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Home.Path);
        }
    }
}
