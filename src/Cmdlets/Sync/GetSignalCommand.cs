using System.Management.Automation;
using Dreamwell.Sync;

namespace Dreamwell.Cmdlets;

/// <summary>Lists the signals this home publishes or follows. Keys are shown only with -IncludeKey.</summary>
[Cmdlet(VerbsCommon.Get, "Signal")]
[OutputType(typeof(DreamSignal))]
public sealed class GetSignalCommand : GetShareCommand<SignalRecord>
{
    protected override IEnumerable<SignalRecord> ReadAll() => new SignalRegistry(Home).All();

    protected override IEnumerable<string> NamesOf(SignalRecord signal) => [signal.Name, signal.ShortId, signal.Id];

    protected override bool IsOwned(SignalRecord signal) => signal.Role == SignalRecord.Publisher;

    protected override object ToOutput(SignalRecord signal, bool includeKey) => DreamSignal.From(signal, includeKey);
}
