using System.Management.Automation;
using Dreamwell.Node;

namespace Dreamwell.Cmdlets;

/// <summary>Removes a friend, by QuantumId or label, from $DREAMWELL_HOME/tesseracts.json. Needs no running node.</summary>
[Cmdlet(VerbsCommon.Remove, "DreamFriend", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveDreamFriendCommand : DreamCmdlet
{
    /// <summary>The friend's QuantumId or label (a DreamFriend from Get-DreamFriend binds by its QuantumId).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Label", "Name")]
    [ValidateNotNullOrEmpty]
    public string QuantumId { get; set; } = "";

    /// <summary>Writes the removed friend.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            var friends = new Friends(Home);
            var friend = friends.Find(QuantumId)
                ?? throw new DreamException("FriendNotFound", DreamErrorKind.NotFound, $"No friend has the QuantumId or label '{QuantumId}'; see Get-DreamFriend.");
            if (!ShouldProcess($"{friend.Label} ({friend.QuantumId})", "Remove friend")) return;
            var removed = friends.Remove(friend.QuantumId);
            if (PassThru && removed is not null) WriteObject(removed);
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, QuantumId);
        }
    }
}
