using System.Management.Automation;
using Dreamwell.Node;
using Dreamwell.Sync;

namespace Dreamwell.Cmdlets;

/// <summary>Has the running node scan the signal's folder now and publish a new signed release if anything changed.</summary>
[Cmdlet(VerbsData.Publish, "Signal")]
[OutputType(typeof(SignalRelease))]
public sealed class PublishSignalCommand : DreamCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    public string? Name { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            var client = TesseractClient.ForHome(Home);
            var releases = RunEngine("Publishing signals", (_, token) =>
                client.InvokeAsync<List<SignalRelease>>("signal-publish", new { signal = Name ?? "" }, TimeSpan.FromSeconds(150), token).GetAwaiter().GetResult());
            WriteObject(releases, enumerateCollection: true);
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Name ?? Home.Path);
        }
    }
}
