using System.Management.Automation;
using Dreamwell.Identity;

namespace Dreamwell.Cmdlets;

/// <summary>
/// Revokes an agent this home delegated: its key goes on the home's revocation list (delegations.json) and the chain
/// records it. Nodes running on this home refuse the agent from then on; other peers honour it only until it expires.
/// </summary>
[Cmdlet(VerbsSecurity.Revoke, "DreamDelegation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DreamDelegation))]
public sealed class RevokeDreamDelegationCommand : DreamCmdlet
{
    /// <summary>The agent's name or QuantumId.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter]
    public string? Reason { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            var entry = Delegations.Find(Home, Name);
            if (!ShouldProcess($"{entry.Name} ({Dreamwell.Identity.DreamIdentity.QuantumIdOf(Convert.FromHexString(entry.AgentPublicKey))})", "Revoke the delegation")) return;
            using var human = IdentityStore.OpenSigner(Home);
            WriteObject(Delegations.Revoke(Home, human, Name, Reason, DateTimeOffset.UtcNow));
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Name);
        }
    }
}
