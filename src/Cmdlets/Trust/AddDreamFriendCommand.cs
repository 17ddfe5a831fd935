using System.Management.Automation;
using Dreamwell.Node;

namespace Dreamwell.Cmdlets;

/// <summary>Adds (or updates) a friend in $DREAMWELL_HOME/tesseracts.json: a QuantumId, a label and addresses to dial it at. Needs no running node.</summary>
[Cmdlet(VerbsCommon.Add, "DreamFriend", SupportsShouldProcess = true)]
[OutputType(typeof(DreamFriend))]
public sealed class AddDreamFriendCommand : DreamCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string QuantumId { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Label { get; set; } = "";

    /// <summary>host:port addresses the friend's tesseract listens on (Connect-Tesseract -Peer label dials them).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? Address { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            var friends = new Friends(Home);
            var existing = friends.Find(QuantumId);
            var action = existing is null ? "Add friend" : "Update friend";
            if (!ShouldProcess($"{Label} ({QuantumId}) in {Path.Combine(Home.Path, Friends.FileName)}", action)) return;
            Home.Ensure();
            WriteObject(friends.Add(QuantumId, Label, Address));
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, QuantumId);
        }
    }
}
