using System.Management.Automation;
using Dreamwell.Sync;

namespace Dreamwell.Cmdlets;

/// <summary>Joins a friend's portal by its key into a local folder; the running node keeps it in sync both ways.</summary>
[Cmdlet(VerbsCommunications.Connect, "Portal", SupportsShouldProcess = true)]
[OutputType(typeof(DreamPortal))]
public sealed class ConnectPortalCommand : JoinShareCommand
{
    protected override string Kind => "portal";

    protected override string NoNodeWarning =>
        "No tesseract runs for this home: start one (Start-Tesseract); it dials the portal's owner and syncs.";

    protected override string DescribeJoin(ShareKey key) => $"Join portal {key.ShortId} of {key.OwnerQuantumId} into this folder";

    protected override object Join(string folder) => DreamPortal.From(Portals.Join(Home, Key, folder, Name), includeKey: false);
}
