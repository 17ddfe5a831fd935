using System.Management.Automation;
using Dreamwell.Content;

namespace Dreamwell.Cmdlets;

/// <summary>Lists the items published in the local content store, optionally filtered by a name wildcard.</summary>
[Cmdlet(VerbsCommon.Get, "DreamContentIndex")]
[OutputType(typeof(ContentItem))]
public sealed class GetDreamContentIndexCommand : DreamCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string Name { get; set; } = "*";

    protected override void EndProcessing()
    {
        if (!Directory.Exists(System.IO.Path.Combine(Home.Path, ContentStore.FolderName))) return;
        try
        {
            using var store = ContentStore.Open(Home);
            var pattern = new WildcardPattern(Name, WildcardOptions.IgnoreCase);
            foreach (var item in store.List())
                if (pattern.IsMatch(item.Name)) WriteObject(item);
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Name);
        }
    }
}
