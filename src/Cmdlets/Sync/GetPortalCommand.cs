using System.Management.Automation;
using Dreamwell.Sync;

namespace Dreamwell.Cmdlets;

/// <summary>Lists the portals of this home (owned and joined). Keys are shown only with -IncludeKey.</summary>
[Cmdlet(VerbsCommon.Get, "Portal")]
[OutputType(typeof(DreamPortal))]
public sealed class GetPortalCommand : GetShareCommand<PortalRecord>
{
    protected override IEnumerable<PortalRecord> ReadAll() => new PortalRegistry(Home).All();

    protected override IEnumerable<string> NamesOf(PortalRecord portal) => [portal.Name, portal.ShortId, portal.Id];

    protected override bool IsOwned(PortalRecord portal) => portal.Role == PortalRecord.Owner;

    protected override object ToOutput(PortalRecord portal, bool includeKey) => DreamPortal.From(portal, includeKey);
}
