using System.Management.Automation;
using Dreamwell.Health;

namespace Dreamwell.Cmdlets;

[Cmdlet(VerbsCommon.Get, "DreamHealth")]
[OutputType(typeof(HealthCheck))]
public sealed class GetDreamHealthCommand : DreamCmdlet
{
    protected override void EndProcessing()
    {
        foreach (var check in HomeHealth.Check(Home)) WriteObject(check);
    }
}
