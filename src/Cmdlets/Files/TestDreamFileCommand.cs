using System.Management.Automation;
using Dreamwell.Formats;

namespace Dreamwell.Cmdlets;

/// <summary>Verifies a container without writing anything: a typed verdict, never an exception for bad data.</summary>
[Cmdlet(VerbsDiagnostic.Test, "DreamFile", DefaultParameterSetName = PathSet)]
[OutputType(typeof(VerifyResult))]
public sealed class TestDreamFileCommand : DreamPathCmdlet
{
    protected override void ProcessRecord() => ForEachInput(container =>
        WriteObject(RunEngine($"Verifying {System.IO.Path.GetFileName(container)}",
            (progress, token) => DreamCodec.Verify(container, progress, token))));
}
