using System.Management.Automation;
using Dreamwell.Quantum;

namespace Dreamwell.Cmdlets;

/// <summary>
/// <para type="synopsis">Evolves a density matrix under a Lindblad master equation and streams the state after every step.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "DensityEvolution")]
[OutputType(typeof(DensityEvolutionStep))]
public sealed class InvokeDensityEvolutionCommand : DreamCmdlet
{
    private Hamiltonian? _hamiltonian;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("State")]
    public DensityMatrix InputObject { get; set; } = null!;

    /// <summary>Length of one step (the time unit is the inverse of the rates' unit).</summary>
    [Parameter(Mandatory = true)]
    [ValidateRange(double.Epsilon, double.MaxValue)]
    public double TimeStep { get; set; }

    /// <summary>Number of steps; the initial state is emitted first as step 0.</summary>
    [Parameter]
    [ValidateRange(0, 1_000_000)]
    public int Steps { get; set; } = 10;

    /// <summary>Dephasing rate γ on every level: coherences decay as e^(−γt).</summary>
    [Parameter]
    [ValidateRange(0.0, double.MaxValue)]
    public double Dephasing { get; set; }

    /// <summary>Amplitude damping rate γ from every other level into -DampingTarget: populations decay as e^(−γt).</summary>
    [Parameter]
    [ValidateRange(0.0, double.MaxValue)]
    public double AmplitudeDamping { get; set; }

    /// <summary>The level amplitude damping empties into (default 0).</summary>
    [Parameter]
    [ValidateRange(0, DensityMatrix.MaxDimension - 1)]
    public int DampingTarget { get; set; }

    /// <summary>H for the coherent part −i[H, ρ]: energies (diagonal) or rows of a Hermitian matrix.</summary>
    [Parameter]
    public object? Hamiltonian { get; set; }

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
            int n = InputObject.Dimension;
            var generator = new LindbladEvolution(n, _hamiltonian);
            if (Dephasing > 0) generator.WithDephasing(Dephasing);
            if (AmplitudeDamping > 0)
            {
                if (DampingTarget >= n)
                    throw new DreamException("InvalidChannel", DreamErrorKind.InvalidArgument, $"DampingTarget {DampingTarget} is outside 0..{n - 1}.");
                for (int k = 0; k < n; k++)
                    if (k != DampingTarget) generator.WithAmplitudeDamping(k, DampingTarget, AmplitudeDamping);
            }
            foreach (var step in generator.Trajectory(InputObject, TimeStep, Steps, StopToken))
                WriteObject(step);
        }
        catch (DreamException e)
        {
            WriteDreamError(e, InputObject);
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
        }
    }
}
