using System.Management.Automation;
using System.Numerics;
using Dreamwell.Quantum;

namespace Dreamwell.Cmdlets;

/// <summary>
/// <para type="synopsis">Creates a validated density matrix from populations, a full matrix, or a state vector.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "DensityMatrix", DefaultParameterSetName = PopulationsSet)]
[OutputType(typeof(DensityMatrix))]
public sealed class NewDensityMatrixCommand : DreamCmdlet
{
    private const string PopulationsSet = "Populations";
    private const string MatrixSet = "Matrix";
    private const string StateVectorSet = "StateVector";

    /// <summary>Diagonal entries (probabilities ≥ 0 summing to 1); the result has no coherences.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PopulationsSet)]
    public double[] Populations { get; set; } = [];

    /// <summary>Rows of the matrix; entries are numbers, [System.Numerics.Complex] or strings like '0.1-0.2i'.</summary>
    [Parameter(Mandatory = true, ParameterSetName = MatrixSet)]
    public object[] Matrix { get; set; } = [];

    /// <summary>Amplitudes of a pure state |ψ⟩ (normalised here); numbers, Complex or '0.5i'-style strings.</summary>
    [Parameter(Mandatory = true, ParameterSetName = StateVectorSet)]
    public object[] StateVector { get; set; } = [];

    /// <summary>Absolute tolerance for Hermiticity, trace and positivity checks (default 1e-9).</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double Tolerance { get; set; } = DensityMatrix.DefaultTolerance;

    protected override void EndProcessing()
    {
        try
        {
            var rho = ParameterSetName switch
            {
                MatrixSet => DensityMatrix.FromRows(QuantumCmdletSupport.ToRows(Matrix, "matrix"), Tolerance),
                StateVectorSet => DensityMatrix.FromStateVector(StateVector.Select(QuantumCmdletSupport.ToComplex).ToArray()),
                _ => DensityMatrix.FromPopulations(Populations, Tolerance),
            };
            WriteObject(rho);
        }
        catch (DreamException e)
        {
            WriteDreamError(e, null);
        }
    }
}
