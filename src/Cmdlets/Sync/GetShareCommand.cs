using System.Management.Automation;

namespace Dreamwell.Cmdlets;

/// <summary>
/// What Get-Portal and Get-Signal share: list this home's shares of one kind, filtered by name, short id or id
/// (wildcards allowed); a key is shown only with -IncludeKey and only for a share this identity owns.
/// </summary>
public abstract class GetShareCommand<TRecord> : DreamCmdlet
{
    /// <summary>Name, short id or id (wildcards allowed).</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    /// <summary>Also show the key of the shares this identity owns (it is a secret: share it only with friends).</summary>
    [Parameter]
    public SwitchParameter IncludeKey { get; set; }

    protected abstract IEnumerable<TRecord> ReadAll();

    /// <summary>The name, short id and id a -Name pattern may match.</summary>
    protected abstract IEnumerable<string> NamesOf(TRecord record);

    /// <summary>True where this identity owns (or publishes) the share, so that it may see the key.</summary>
    protected abstract bool IsOwned(TRecord record);

    protected abstract object ToOutput(TRecord record, bool includeKey);

    protected override void EndProcessing()
    {
        try
        {
            var patterns = Name?.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
            foreach (var record in ReadAll())
                if (patterns is null || patterns.Any(p => NamesOf(record).Any(p.IsMatch)))
                    WriteObject(ToOutput(record, IncludeKey && IsOwned(record)));
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Home.Path);
        }
    }
}
