using System.Management.Automation;
using Dreamwell.Loom;

namespace Dreamwell.Cmdlets;

/// <summary>Reads a .quantumtensor checkpoint (verifying its BLAKE3) and describes it: config, parameters, step, loss curves.</summary>
[Cmdlet(VerbsCommon.Get, "LoomCheckpoint")]
[OutputType(typeof(LoomCheckpointInfo))]
public sealed class GetLoomCheckpointCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "Checkpoint")]
    public string[] Path { get; set; } = [];

    protected override void ProcessRecord()
    {
        foreach (var path in Path)
        {
            try { WriteObject(LoomCheckpoint.Inspect(GetUnresolvedProviderPathFromPSPath(path))); }
            catch (DreamException e) { WriteError(DreamErrorRecords.From(e, path)); }
        }
    }
}
