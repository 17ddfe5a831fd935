using System.Management.Automation;
using Dreamwell.Quantum;

namespace Dreamwell.Cmdlets;

/// <summary>
/// <para type="synopsis">Evaluates the tesseract health model (docs/health-model.md) on given service observations: ρ, figures and alerts.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "DreamHealthModel")]
[OutputType(typeof(TesseractHealthReport), typeof(HealthBounds))]
public sealed class GetDreamHealthModelCommand : DreamCmdlet
{
    private readonly List<ServiceObservation> _observations = new();

    /// <summary>Observations (the latest per service wins); from the pipeline or as an array (hashtables convert).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [AllowEmptyCollection]
    public ServiceObservation[] Observation { get; set; } = [];

    /// <summary>Model constants; defaults when omitted.</summary>
    [Parameter]
    public TesseractHealthOptions? Options { get; set; }

    /// <summary>Seconds without fresh observations to apply trust decay for (Lindblad dephasing).</summary>
    [Parameter]
    [ValidateRange(0.0, 1e9)]
    public double DecaySeconds { get; set; }

    /// <summary>Emit the fast bounds (no eigensolve) instead of the full report.</summary>
    [Parameter]
    public SwitchParameter Quick { get; set; }

    protected override void ProcessRecord() => _observations.AddRange(Observation.Where(o => o is not null));

    protected override void EndProcessing()
    {
        try
        {
            var health = new TesseractHealth(Options);
            health.Observe(_observations);
            if (DecaySeconds > 0) health.Decay(TimeSpan.FromSeconds(DecaySeconds));
            WriteObject(Quick ? health.QuickCheck() : health.Report());
        }
        catch (DreamException e)
        {
            WriteDreamError(e, null);
        }
    }
}
