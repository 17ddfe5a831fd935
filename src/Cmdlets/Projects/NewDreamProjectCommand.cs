using System.Management.Automation;
using Dreamwell.Identity;
using Dreamwell.Projects;

namespace Dreamwell.Cmdlets;

/// <summary>
/// Creates a project folder (signal/index.html, tapestry.json, state/) owned by this home's identity. Refuses a
/// non-empty folder unless -Force, which only adds missing scaffold files: it never replaces or deletes a file.
/// </summary>
[Cmdlet(VerbsCommon.New, "DreamProject", SupportsShouldProcess = true, DefaultParameterSetName = BlankSet)]
[OutputType(typeof(DreamProject))]
public sealed class NewDreamProjectCommand : DreamCmdlet
{
    private const string BlankSet = "Blank";
    private const string HelloUniverseSet = "HelloUniverse";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = BlankSet)]
    [Parameter(Position = 0, ParameterSetName = HelloUniverseSet)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>The folder the project folder is created in (default: the current location).</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = HelloUniverseSet)]
    public SwitchParameter HelloUniverse { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void EndProcessing()
    {
        var name = Name ?? ProjectScaffold.HelloUniverseName;
        var parent = Path is null ? SessionState.Path.CurrentFileSystemLocation.ProviderPath : ResolveLiteral(Path);
        string folder;
        try
        {
            folder = System.IO.Path.Combine(parent, ProjectName.Validate(name));
        }
        catch (DreamException e)
        {
            WriteDreamError(e, name);
            return;
        }
        var template = HelloUniverse ? ProjectTemplate.HelloUniverse : ProjectTemplate.Blank;
        if (!ShouldProcess(folder, $"Create the Dreamwell project '{name}' ({template}: signal/index.html, tapestry.json, state/)")) return;
        try
        {
            var owner = OwnerQuantumId();
            WriteObject(RunEngine($"Creating {name}", (progress, token) =>
                ProjectScaffold.Create(parent, name, owner, template, Force, DateTimeOffset.UtcNow, progress, token)));
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, folder);
        }
    }

    /// <summary>The identity that owns the project: this home's, created on first use like every signing cmdlet's.</summary>
    private string OwnerQuantumId()
    {
        if (IdentityStore.Exists(Home)) return IdentityStore.Load(Home).QuantumId;
        using var signer = IdentityAccess.OpenOrCreateSigner(Home, out var created);
        if (created)
            WriteWarning($"No identity was found, so one was created in '{Home.IdentityFile}' ({signer.Identity.QuantumId}). Use New-DreamIdentity -Force to choose a name or a passphrase.");
        return signer.Identity.QuantumId;
    }
}
