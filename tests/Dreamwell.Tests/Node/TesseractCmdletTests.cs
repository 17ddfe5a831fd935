using System.Management.Automation;
using Dreamwell.Node;
using Dreamwell.Tests.Support;

namespace Dreamwell.Tests.Node;

/// <summary>The tesseract cmdlets in an in-process shell, as a user meets them.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class TesseractCmdletTests
{
    [Fact]
    public void StartTesseractRunsAJobThatStatusReachesAndStopTesseractEnds()
    {
        using var temp = new TempHome();
        var result = InProcessShell.Run(temp.Home, """
            $job = Start-Tesseract -Name carol -ControlPort 0 -PeerPort 0 -HeartbeatInterval 00:00:00.1 -NoDiscovery
            $status = Get-TesseractStatus
            $peers = @(Get-TesseractPeer)
            Stop-Tesseract
            $null = $job | Wait-Job -Timeout 10
            $events = @($job | Receive-Job)
            [pscustomobject]@{ JobType = $job.PSJobTypeName; State = "$($job.State)"; Status = $status; Peers = $peers.Count; Events = ($events.Kind -join ',') }
            $job | Remove-Job -Force
            """);
        Assert.Empty(result.Errors);
        var summary = Assert.Single(result.Output);
        Assert.Equal("TesseractJob", summary.Properties["JobType"].Value);
        Assert.Equal("Completed", summary.Properties["State"].Value);
        var status = Assert.IsType<TesseractStatus>(((PSObject)summary.Properties["Status"].Value).BaseObject);
        Assert.Equal("carol", status.Name);
        Assert.NotEqual(0, status.PeerPort);
        Assert.Equal(0, (int)summary.Properties["Peers"].Value);
        Assert.Equal("IdentityCreated,Started,Stopping,Stopped", summary.Properties["Events"].Value);
        Assert.Null(TesseractNode.ReadInfo(temp.Home));
    }

    [Fact]
    public void StopJobStopsTheNode()
    {
        using var temp = new TempHome();
        var result = InProcessShell.Run(temp.Home, """
            $job = Start-Tesseract -ControlPort 0 -PeerPort 0
            $job | Stop-Job
            "$($job.State)"
            $job | Remove-Job -Force
            """);
        Assert.Empty(result.Errors);
        Assert.Equal("Stopped", Assert.Single(result.Output).BaseObject);
        Assert.Null(TesseractNode.ReadInfo(temp.Home));
    }

    [Fact]
    public async Task ConnectTesseractLinksToAPeerAndGetTesseractPeerListsIt()
    {
        await using var bob = TestNode.Start("bob");
        using var temp = new TempHome();
        var result = InProcessShell.Run(temp.Home, $$"""
            $job = Start-Tesseract -Name alice -ControlPort 0 -PeerPort 0 -HeartbeatInterval 00:00:00.1
            try {
                Connect-Tesseract -Peer '{{bob.PeerAddress}}'
                $deadline = [datetime]::UtcNow.AddSeconds(10)
                while ((Get-TesseractPeer bob).Heartbeats -lt 1 -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
                Get-TesseractPeer -Name b*
                Get-TesseractPeer -Name nobody
            } finally { $job | Stop-Job; $job | Remove-Job -Force }
            """);
        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Output.Count);
        var connected = Assert.IsType<TesseractPeer>(result.Output[0].BaseObject);
        Assert.Equal("bob", connected.Label);
        Assert.Equal(bob.Node.QuantumId, connected.QuantumId);
        var listed = Assert.IsType<TesseractPeer>(result.Output[1].BaseObject);
        Assert.Equal(PeerStates.Connected, listed.State);
        Assert.True(listed.Heartbeats >= 1);
    }

    [Fact]
    public void WithoutARunningNodeTheCmdletsSayNotRunning()
    {
        using var temp = new TempHome();
        var result = InProcessShell.Run(temp.Home, "Get-TesseractStatus; Get-TesseractPeer; Stop-Tesseract; Connect-Tesseract -Peer 127.0.0.1:1");
        Assert.Empty(result.Output);
        Assert.Equal(4, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.StartsWith(TesseractErrors.NotRunning, e.FullyQualifiedErrorId));
    }

    [Fact]
    public void ABadPeerAddressIsReported()
    {
        using var temp = new TempHome();
        var result = InProcessShell.Run(temp.Home, """
            $job = Start-Tesseract -ControlPort 0 -PeerPort 0
            try { Connect-Tesseract -Peer 'no-port-here' } finally { $job | Stop-Job; $job | Remove-Job -Force }
            """);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith(TesseractErrors.BadPeerAddress, error.FullyQualifiedErrorId);
    }
}
