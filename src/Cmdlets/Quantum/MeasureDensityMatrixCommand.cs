using System.Management.Automation;
using Dreamwell.Quantum;

namespace Dreamwell.Cmdlets;

/// <summary>
/// <para type="synopsis">Measures a density matrix: eigenvalues, von Neumann entropy, purity, and ⟨H⟩ and free energy for a Hamiltonian.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "DensityMatrix")]
[OutputType(typeof(DensityMeasurement))]
public sealed class MeasureDensityMatrixCommand : DreamCmdlet
{
    private Hamiltonian? _hamiltonian;

    /// <summary>The state; binds from the pipeline, or from a State property (Invoke-DensityEvolution output).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("State")]
    public DensityMatrix InputObject { get; set; } = null!;

    /// <summary>H: a flat list of energies (diagonal) or rows of a Hermitian matrix. Enables Energy and FreeEnergy.</summary>
    [Parameter]
    public object? Hamiltonian { get; set; }

    /// <summary>T in F = ⟨H⟩ − T·S (default 1).</summary>
    [Parameter]
    [ValidateRange(0.0, double.MaxValue)]
    public double Temperature { get; set; } = 1;

    protected override void BeginProcessing()
    {
        if (Hamiltonian is null) return;
        try
        {
            _hamiltonian = QuantumCmdletSupport.ToHamiltonian(Hamiltonian);
        }
        catch (DreamException e)
        {
            ThrowTerminatingError(ToErrorRecord(e, Hamiltonian));
        }
    }

    protected override void ProcessRecord()
    {
        try
        {
            WriteObject(InputObject.Measure(_hamiltonian, Temperature));
        }
        catch (DreamException e)
        {
            WriteDreamError(e, InputObject);
        }
    }
}
