using System.Management.Automation;
using Dreamwell.Sync;

namespace Dreamwell.Cmdlets;

/// <summary>Lists the signals this home publishes or follows. Keys are shown only with -IncludeKey.</summary>
[Cmdlet(VerbsCommon.Get, "Signal")]
[OutputType(typeof(DreamSignal))]
public sealed class GetSignalCommand : DreamCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    /// <summary>Also show the keys of signals this identity publishes (anyone holding one can subscribe).</summary>
    [Parameter]
    public SwitchParameter IncludeKey { get; set; }

    protected override void EndProcessing()
    {
        try
        {
            var patterns = Name?.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
            foreach (var signal in new SignalRegistry(Home).All())
                if (patterns is null || patterns.Any(p => p.IsMatch(signal.Name) || p.IsMatch(signal.ShortId) || p.IsMatch(signal.Id)))
                    WriteObject(DreamSignal.From(signal, IncludeKey && signal.Role == SignalRecord.Publisher));
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Home.Path);
        }
    }
}
