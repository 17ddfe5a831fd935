using System.Diagnostics;
using System.Management.Automation;
using Dreamwell.Formats;

namespace Dreamwell.Cmdlets;

/// <summary>Writes a .qdlt: Target expressed against Base (bound to Base's BLAKE3 hash).</summary>
[Cmdlet(VerbsCommon.New, "DreamDelta", SupportsShouldProcess = true)]
[OutputType(typeof(DreamReceipt))]
public sealed class NewDreamDeltaCommand : DreamCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public string Base { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath")]
    public string Target { get; set; } = "";

    /// <summary>Default: the target's path plus .qdlt.</summary>
    [Parameter(Position = 2)]
    public string? Destination { get; set; }

    [Parameter]
    [ValidateRange(-7, 22)]
    public int? Level { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var basePath = ResolveLiteral(Base);
        var target = ResolveLiteral(Target);
        try
        {
            foreach (var required in new[] { basePath, target })
                if (!File.Exists(required))
                    throw new DreamException("PathNotFound", DreamErrorKind.NotFound, $"Cannot find file '{required}'.");
            var destination = Destination is null ? target + DreamCodec.DefaultExtension(DreamFormat.Delta) : ResolveLiteral(Destination);
            if (!ShouldProcess(target, $"Write a delta against '{basePath}' to '{destination}'")) return;
            var clock = Stopwatch.StartNew();
            var result = RunEngine($"Delta of {System.IO.Path.GetFileName(target)}",
                (progress, token) => WrittenContainer.Check(DreamCodec.CreateDelta(basePath, target, destination, new PackOptions { Level = Level }, Force, progress, token), progress, token));
            WriteObject(IssueReceipt(WrittenContainer.Receipt("Delta", result, clock)));
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, target);
        }
    }
}
