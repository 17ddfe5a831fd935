using System.Management.Automation;
using Dreamwell.Identity;

namespace Dreamwell.Cmdlets;

/// <summary>
/// Issues an Agent identity signed by the home's Human identity: a new Ed25519 key in its own folder (usable as the
/// agent's DREAMWELL_HOME) and a delegation certificate beside it. Run again on the same folder to renew.
/// </summary>
[Cmdlet(VerbsSecurity.Grant, "DreamDelegation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DreamDelegation))]
public sealed class GrantDreamDelegationCommand : DreamCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true)]
    [ValidateSet(nameof(DelegationScopes.Observe), nameof(DelegationScopes.Send), nameof(DelegationScopes.Connect), IgnoreCase = true)]
    public DelegationScopes[] Scope { get; set; } = [];

    [Parameter]
    [DelegationDuration]
    public TimeSpan Expires { get; set; } = DelegationDuration.Default;

    /// <summary>The agent's folder; default $DREAMWELL_HOME/agents/&lt;Name&gt;.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    protected override void EndProcessing()
    {
        var scopes = Scope.Aggregate(DelegationScopes.None, (all, one) => all | one);
        try
        {
            DelegationCertificate.CheckName(Name);
            var agentPath = Path is null ? Delegations.DefaultAgentPath(Home, Name) : ResolveLiteral(Path);
            var now = DateTimeOffset.UtcNow;
            if (!ShouldProcess(agentPath, $"Issue agent '{Name}' with {DelegationScope.Describe(scopes)} until {now + Expires:u}")) return;
            using var human = IdentityAccess.OpenOrCreateSigner(Home, out var created);
            if (created)
                WriteWarning($"No identity was found, so one was created in '{Home.IdentityFile}' ({human.Identity.QuantumId}).");
            WriteObject(Delegations.Grant(Home, human, Name, scopes, Expires, agentPath, now));
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Name);
        }
    }
}
