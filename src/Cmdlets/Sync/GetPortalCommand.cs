using System.Management.Automation;
using Dreamwell.Sync;

namespace Dreamwell.Cmdlets;

/// <summary>Lists the portals of this home (owned and joined). Keys are shown only with -IncludeKey.</summary>
[Cmdlet(VerbsCommon.Get, "Portal")]
[OutputType(typeof(DreamPortal))]
public sealed class GetPortalCommand : DreamCmdlet
{
    /// <summary>Name, short id or id (wildcards allowed).</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    /// <summary>Also show the key of portals this identity owns (it is a secret: share it only with friends).</summary>
    [Parameter]
    public SwitchParameter IncludeKey { get; set; }

    protected override void EndProcessing()
    {
        try
        {
            var patterns = Name?.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
            foreach (var portal in new PortalRegistry(Home).All())
                if (patterns is null || patterns.Any(p => p.IsMatch(portal.Name) || p.IsMatch(portal.ShortId) || p.IsMatch(portal.Id)))
                    WriteObject(DreamPortal.From(portal, IncludeKey && portal.Role == PortalRecord.Owner));
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Home.Path);
        }
    }
}
