using System.Management.Automation;
using Dreamwell.Projects;

namespace Dreamwell.Cmdlets;

/// <summary>Checks a project's tapestry.json (docs/tapestry.md) and the folders and files it names: a typed verdict, never an exception for bad data.</summary>
[Cmdlet(VerbsDiagnostic.Test, "DreamProject")]
[OutputType(typeof(ProjectVerdict))]
public sealed class TestDreamProjectCommand : DreamCmdlet
{
    /// <summary>The project folder (default: the current location); binds from New-DreamProject's output.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    protected override void ProcessRecord()
    {
        var folder = Path is null ? SessionState.Path.CurrentFileSystemLocation.ProviderPath : ResolveLiteral(Path);
        try
        {
            WriteObject(RunEngine($"Checking {folder}", (_, token) => ProjectCheck.Test(folder, token)));
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, folder);
        }
    }
}
