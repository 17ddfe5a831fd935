using System.Management.Automation;
using Dreamwell.Node;

namespace Dreamwell.Cmdlets;

/// <summary>The friends in $DREAMWELL_HOME/tesseracts.json, optionally only those whose label or QuantumId matches. Needs no running node.</summary>
[Cmdlet(VerbsCommon.Get, "DreamFriend")]
[OutputType(typeof(DreamFriend))]
public sealed class GetDreamFriendCommand : DreamCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    protected override void EndProcessing()
    {
        try
        {
            var patterns = Name?.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
            foreach (var friend in new Friends(Home).All().OrderBy(f => f.Label, StringComparer.OrdinalIgnoreCase))
                if (patterns is null || patterns.Any(p => p.IsMatch(friend.Label) || p.IsMatch(friend.QuantumId)))
                    WriteObject(friend);
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Home.Path);
        }
    }
}
