using System.Management.Automation;
using Dreamwell.Sync;

namespace Dreamwell.Cmdlets;

/// <summary>
/// What Connect-Portal and Join-Signal share: a friend's key, a local folder (default ./&lt;kind&gt;-&lt;short id&gt;)
/// and a name; the share is recorded in this home and the running node, if any, told to reload.
/// </summary>
public abstract class JoinShareCommand : DreamCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Key { get; set; } = "";

    /// <summary>The local folder (created when missing; default: ./&lt;kind&gt;-&lt;short id&gt;).</summary>
    [Parameter(Position = 1)]
    public string? Path { get; set; }

    [Parameter]
    public string? Name { get; set; }

    /// <summary>"portal" or "signal": the default folder's prefix and the running node's reload method.</summary>
    protected abstract string Kind { get; }

    /// <summary>The warning when no node runs for this home (the share is recorded all the same).</summary>
    protected abstract string NoNodeWarning { get; }

    /// <summary>What -WhatIf and -Confirm say is about to happen to the folder.</summary>
    protected abstract string DescribeJoin(ShareKey key);

    /// <summary>Records the share in this home and returns what the cmdlet writes (never with its key).</summary>
    protected abstract object Join(string folder);

    protected override void ProcessRecord()
    {
        try
        {
            var key = ShareKey.Parse(Key);
            var folder = ResolveLiteral(string.IsNullOrEmpty(Path) ? $"{Kind}-{key.ShortId}" : Path);
            if (!ShouldProcess(folder, DescribeJoin(key))) return;
            var joined = Join(folder);
            if (!RunningNode.TryReload(Home, $"{Kind}-reload", StopToken))
                WriteWarning(NoNodeWarning);
            WriteObject(joined);
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Key.Length > 12 ? Key[..12] + "…" : Key);
        }
    }
}
