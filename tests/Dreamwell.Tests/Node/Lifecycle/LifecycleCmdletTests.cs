using System.Management.Automation;
using Dreamwell.Node;
using Dreamwell.Tests.Discovery;
using Dreamwell.Tests.Support;

namespace Dreamwell.Tests.Node.Lifecycle;

/// <summary>Start-Tesseract's discovery and -Detached parameters in an in-process shell, as a user meets them.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class LifecycleCmdletTests
{
    [LoopbackMulticastFact]
    public void By_default_discovery_runs_on_loopback_port_9619()
    {
        using var temp = new TempHome();
        var result = InProcessShell.Run(temp.Home, """
            $job = Start-Tesseract -ControlPort 0 -PeerPort 0
            try { Get-TesseractStatus } finally { $job | Stop-Job; $job | Remove-Job -Force }
            """);
        Assert.Empty(result.Errors);
        var status = Assert.IsType<TesseractStatus>(Assert.Single(result.Output).BaseObject);
        Assert.Equal("Loopback 127.0.0.1:9619", status.Discovery);
        Assert.NotNull(status.Health);
    }

    [Fact]
    public void NoDiscovery_turns_it_off_and_a_non_IPv4_interface_is_refused()
    {
        using var temp = new TempHome();
        var result = InProcessShell.Run(temp.Home, """
            $job = Start-Tesseract -ControlPort 0 -PeerPort 0 -NoDiscovery
            try { (Get-TesseractStatus).Discovery } finally { $job | Stop-Job; $job | Remove-Job -Force }
            Start-Tesseract -ControlPort 0 -PeerPort 0 -DiscoveryInterface ::1
            """);
        Assert.Equal("Off", Assert.Single(result.Output).BaseObject);
        Assert.StartsWith("InvalidDiscoveryAnnouncement", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Null(TesseractNode.ReadInfo(temp.Home));
    }

    [Fact]
    public void Detached_without_a_dream_host_says_how_to_point_at_one()
    {
        using var temp = new TempHome();
        var result = WithDream("/nonexistent/dream", () => InProcessShell.Run(temp.Home, "Start-Tesseract -Detached -ControlPort 0 -PeerPort 0"));
        var error = Assert.Single(result.Errors);
        Assert.StartsWith(DreamLocator.NotFound, error.FullyQualifiedErrorId);
        Assert.Contains("DREAMWELL_DREAM", error.Exception.Message);
        Assert.Null(TesseractNode.ReadInfo(temp.Home));
    }

    [DreamHostFact]
    public void Detached_from_this_shell_returns_the_status_of_a_separate_process()
    {
        using var temp = new TempHome();
        try
        {
            var result = WithDream(DreamProcess.Executable!, () => InProcessShell.Run(temp.Home, """
                $status = Start-Tesseract -Detached -Name apart -ControlPort 0 -PeerPort 0 -NoDiscovery
                $status
                Stop-Tesseract
                """));
            Assert.Empty(result.Errors);
            var status = Assert.IsType<TesseractStatus>(Assert.Single(result.Output).BaseObject);
            Assert.Equal("apart", status.Name);
            Assert.NotEqual(Environment.ProcessId, status.ProcessId);
            Assert.Null(TesseractNode.ReadInfo(temp.Home));
        }
        finally
        {
            DreamProcess.KillLeftover(temp.Home);
        }
    }

    private static InProcessShell.Result WithDream(string path, Func<InProcessShell.Result> run)
    {
        var before = Environment.GetEnvironmentVariable(DreamLocator.EnvironmentVariable);
        Environment.SetEnvironmentVariable(DreamLocator.EnvironmentVariable, path);
        try { return run(); }
        finally { Environment.SetEnvironmentVariable(DreamLocator.EnvironmentVariable, before); }
    }
}
