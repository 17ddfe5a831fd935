using System.Management.Automation;
using Dreamwell.Identity;

namespace Dreamwell.Cmdlets;

/// <summary>Lists the delegations the home's identity has issued, or with -Path shows (and verifies) the one an agent's folder holds.</summary>
[Cmdlet(VerbsCommon.Get, "DreamDelegation", DefaultParameterSetName = Issued)]
[OutputType(typeof(DreamDelegation))]
public sealed class GetDreamDelegationCommand : DreamCmdlet
{
    private const string Issued = "Issued";
    private const string Agent = "Agent";

    [Parameter(Position = 0, ParameterSetName = Issued)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "*";

    /// <summary>An agent's folder (its DREAMWELL_HOME).</summary>
    [Parameter(Mandatory = true, ParameterSetName = Agent)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    protected override void EndProcessing()
    {
        try
        {
            var now = DateTimeOffset.UtcNow;
            if (Path is not null)
            {
                WriteObject(Delegations.ReadAgent(new DreamHome(ResolveLiteral(Path)), now));
                return;
            }
            var pattern = new WildcardPattern(Name, WildcardOptions.IgnoreCase);
            var matches = Delegations.List(Home, now).Where(d => pattern.IsMatch(d.Name) || pattern.IsMatch(d.AgentQuantumId)).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(Name))
                throw new DreamException(DelegationErrors.NotFound, DreamErrorKind.NotFound, $"'{Home.Path}' has issued no delegation named '{Name}'.");
            foreach (var delegation in matches) WriteObject(delegation);
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Path ?? Name);
        }
    }
}
