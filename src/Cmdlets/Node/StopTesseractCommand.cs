using System.Management.Automation;
using Dreamwell.Node;

namespace Dreamwell.Cmdlets;

/// <summary>Asks the home's running tesseract (in-process or not) to stop, over local control, and waits until it has.</summary>
[Cmdlet(VerbsLifecycle.Stop, "Tesseract", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class StopTesseractCommand : DreamCmdlet
{
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(10);

    protected override void EndProcessing()
    {
        try
        {
            var client = TesseractClient.ForHome(Home);
            if (!ShouldProcess($"tesseract on 127.0.0.1:{client.ControlPort} ({Home.Path})", "Stop")) return;
            RunEngine("Stopping the tesseract", (_, token) =>
            {
                client.StopAsync(token).GetAwaiter().GetResult();
                var deadline = DateTime.UtcNow + StopWait;
                while (TesseractNode.ReadInfo(Home) is not null && DateTime.UtcNow < deadline)
                    Task.Delay(50, token).GetAwaiter().GetResult();
                return true;
            });
            if (TesseractNode.ReadInfo(Home) is not null)
                WriteWarning($"The tesseract accepted the stop request but had not finished after {StopWait.TotalSeconds:0} s.");
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Home.Path);
        }
    }
}
