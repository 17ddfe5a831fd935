using System.Management.Automation;
using Dreamwell.Sync;

namespace Dreamwell.Cmdlets;

/// <summary>Joins a friend's portal by its key into a local folder; the running node keeps it in sync both ways.</summary>
[Cmdlet(VerbsCommunications.Connect, "Portal", SupportsShouldProcess = true)]
[OutputType(typeof(DreamPortal))]
public sealed class ConnectPortalCommand() : JoinShareCommand("portal", "Join", "dials the portal's owner and syncs")
{
    protected override object Join(string folder) => DreamPortal.From(Portals.Join(Home, Key, folder, Name), includeKey: false);
}
