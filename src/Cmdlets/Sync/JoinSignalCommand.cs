using System.Management.Automation;
using Dreamwell.Sync;

namespace Dreamwell.Cmdlets;

/// <summary>Subscribes to a signal by its key; the running node keeps a verified local copy in a folder.</summary>
[Cmdlet(VerbsCommon.Join, "Signal", SupportsShouldProcess = true)]
[OutputType(typeof(DreamSignal))]
public sealed class JoinSignalCommand() : JoinShareCommand("signal", "Subscribe to", "dials the publisher and keeps the copy current")
{
    protected override object Join(string folder) => DreamSignal.From(Signals.Join(Home, Key, folder, Name), includeKey: false);
}
