using System.Management.Automation;
using Dreamwell.Sync;

namespace Dreamwell.Cmdlets;

/// <summary>
/// What Connect-Portal and Join-Signal share: a friend's key, a local folder (default ./&lt;kind&gt;-&lt;short id&gt;)
/// and a name; the share is recorded in this home and the running node, if any, told to reload.
/// </summary>
/// <param name="kind">"portal" or "signal": the default folder's prefix and the running node's reload method.</param>
/// <param name="joinVerb">What joining is called in -WhatIf and -Confirm ("Join", "Subscribe to").</param>
/// <param name="whatTheNodeDoes">What a running node would do for the share, said when none runs.</param>
public abstract class JoinShareCommand(string kind, string joinVerb, string whatTheNodeDoes) : DreamCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Key { get; set; } = "";

    /// <summary>The local folder (created when missing; default: ./&lt;kind&gt;-&lt;short id&gt;).</summary>
    [Parameter(Position = 1)]
    public string? Path { get; set; }

    [Parameter]
    public string? Name { get; set; }

    /// <summary>Records the share in this home and returns what the cmdlet writes (never with its key).</summary>
    protected abstract object Join(string folder);

    protected override void ProcessRecord()
    {
        try
        {
            var key = ShareKey.Parse(Key);
            var folder = ResolveLiteral(string.IsNullOrEmpty(Path) ? $"{kind}-{key.ShortId}" : Path);
            if (!ShouldProcess(folder, $"{joinVerb} {kind} {key.ShortId} of {key.OwnerQuantumId} into this folder")) return;
            var joined = Join(folder);
            if (!RunningNode.TryReload(Home, $"{kind}-reload", StopToken))
                WriteWarning($"No tesseract runs for this home: start one (Start-Tesseract); it {whatTheNodeDoes}.");
            WriteObject(joined);
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Key.Length > 12 ? Key[..12] + "…" : Key);
        }
    }
}
