using System.Management.Automation;
using Dreamwell.Formats;

namespace Dreamwell.Cmdlets;

/// <summary>Reads a container's header: format, sizes, content hash, entries. Decodes no payload.</summary>
[Cmdlet(VerbsCommon.Get, "DreamFileInfo", DefaultParameterSetName = PathSet)]
[OutputType(typeof(ContainerInfo))]
public sealed class GetDreamFileInfoCommand : DreamPathCmdlet
{
    protected override void ProcessRecord() => ForEachInput(container => WriteObject(DreamCodec.Inspect(container)));
}
