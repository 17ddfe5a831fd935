using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Dreamwell.Cmdlets;
using Dreamwell.Quantum;
using Xunit;

namespace Dreamwell.Tests.Quantum;

/// <summary>The quantum cmdlets run in-process, as a user would type them.</summary>
public sealed class QuantumCmdletTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("dreamwell-quantum-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static PowerShell Shell()
    {
        var state = InitialSessionState.CreateDefault2();
        foreach (var (name, type) in new[]
        {
            ("New-DensityMatrix", typeof(NewDensityMatrixCommand)),
            ("Measure-DensityMatrix", typeof(MeasureDensityMatrixCommand)),
            ("Invoke-DensityEvolution", typeof(InvokeDensityEvolutionCommand)),
            ("Get-DreamHealthModel", typeof(GetDreamHealthModelCommand)),
            ("Export-DensityMatrixPlot", typeof(ExportDensityMatrixPlotCommand)),
        })
            state.Commands.Add(new SessionStateCmdletEntry(name, type, null));
        return PowerShell.Create(state);
    }

    private static List<T> Run<T>(string script, out List<ErrorRecord> errors)
    {
        using var ps = Shell();
        ps.AddScript(script);
        var output = ps.Invoke();
        errors = ps.Streams.Error.ToList(); // copied: disposing the shell clears its streams
        return output.Select(o => (T)o.BaseObject).ToList();
    }

    [Fact]
    public void Populations_pipe_into_a_measurement()
    {
        var m = Assert.Single(Run<DensityMeasurement>("New-DensityMatrix -Populations 0.2,0.2,0.2,0.2,0.2 | Measure-DensityMatrix", out var errors));
        Assert.Empty(errors);
        Assert.Equal(Math.Log(5), m.Entropy, 12);
        Assert.Equal(0.2, m.Purity, 12);
        Assert.Null(m.FreeEnergy);
    }

    [Fact]
    public void Matrix_and_Hamiltonian_give_energy_and_free_energy()
    {
        var m = Assert.Single(Run<DensityMeasurement>(
            "New-DensityMatrix -Matrix @(0.5, '0.5i'), @('-0.5i', 0.5) | Measure-DensityMatrix -Hamiltonian 0,2 -Temperature 0.5", out var errors));
        Assert.Empty(errors);
        Assert.Equal(0, m.Entropy, 9);
        Assert.Equal(1, m.Energy!.Value, 12);
        Assert.Equal(1, m.FreeEnergy!.Value, 9);
        Assert.Equal(new[] { 0.0, 1.0 }, m.Eigenvalues.Select(v => Math.Round(v, 9)));
    }

    [Fact]
    public void State_vector_builds_a_pure_state()
    {
        var rho = Assert.Single(Run<DensityMatrix>("New-DensityMatrix -StateVector 1, '1i'", out var errors));
        Assert.Empty(errors);
        Assert.Equal(0.5, rho[0, 1].Magnitude, 12);
        Assert.Equal(-0.5, rho[0, 1].Imaginary, 12);
    }

    [Theory]
    [InlineData("New-DensityMatrix -Matrix @(0.5, 0.1), @(0.2, 0.5)", "NotHermitian")]
    [InlineData("New-DensityMatrix -Populations 0.5,0.6", "TraceNotOne")]
    [InlineData("New-DensityMatrix -Matrix @(0.5, 0.8), @(0.8, 0.5)", "NotPositiveSemidefinite")]
    [InlineData("New-DensityMatrix -StateVector 0,0", "ZeroStateVector")]
    public void Invalid_input_becomes_an_error_with_the_engine_error_id(string script, string errorId)
    {
        var output = Run<object>(script, out var errors);
        Assert.Empty(output);
        var error = Assert.Single(errors);
        Assert.StartsWith(errorId, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
    }

    [Fact]
    public void Evolution_streams_steps_that_measure_by_property_name()
    {
        var measurements = Run<DensityMeasurement>(
            "New-DensityMatrix -StateVector 1,1 | Invoke-DensityEvolution -TimeStep 0.5 -Steps 4 -Dephasing 1 | Measure-DensityMatrix", out var errors);
        Assert.Empty(errors);
        Assert.Equal(5, measurements.Count);
        Assert.Equal(0, measurements[0].Entropy, 9);
        for (int i = 1; i < measurements.Count; i++) Assert.True(measurements[i].Entropy > measurements[i - 1].Entropy);
        // Purity of (|0⟩+|1⟩)/√2 under dephasing: (1 + e^(−2γt))/2.
        Assert.Equal((1 + Math.Exp(-2 * 2.0)) / 2, measurements[^1].Purity, 8);
    }

    [Fact]
    public void Health_model_takes_hashtable_observations_and_reports_alerts()
    {
        var report = Assert.Single(Run<TesseractHealthReport>("""
            $obs = @(
              @{ Service = 'Universe'; LatencyMs = 11 }
              @{ Service = 'FQTP'; LatencyMs = 11; ErrorRate = 0.7 }
              @{ Service = 'LQTP'; LatencyMs = 11 }
              @{ Service = 'QCloud'; Up = $false }
              @{ Service = 'Peers'; LatencyMs = 11; PeerCount = 8 }
            )
            Get-DreamHealthModel -Observation $obs
            """, out var errors));
        Assert.Empty(errors);
        Assert.Equal(TesseractHealthStatus.Critical, report.Status);
        Assert.Contains(report.Alerts, a => a.Code == "ServiceDown" && a.Services.Single() == TesseractService.QCloud);
        Assert.Contains(report.Alerts, a => a.Code == "CoherenceLoss");
    }

    [Fact]
    public void Health_model_quick_path_and_invalid_observation()
    {
        var bounds = Assert.Single(Run<HealthBounds>(
            "@{ Service = 'FQTP' }, @{ Service = 'Universe' } | ForEach-Object { [Dreamwell.Quantum.ServiceObservation]$_ } | Get-DreamHealthModel -Quick", out var errors));
        Assert.Empty(errors);
        Assert.True(bounds.FreeEnergyLower <= bounds.FreeEnergyUpper);
        Run<object>("Get-DreamHealthModel -Observation @{ Service = 'FQTP'; ErrorRate = 2 }", out errors);
        Assert.StartsWith("InvalidObservation", Assert.Single(errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Plot_writes_a_png_and_honours_WhatIf_and_Force()
    {
        var path = Path.Combine(_temp, "rho.png");
        Run<object>($"New-DensityMatrix -Populations 0.5,0.5 | Export-DensityMatrixPlot -Path '{path}' -WhatIf", out var errors);
        Assert.Empty(errors);
        Assert.False(File.Exists(path));

        var file = Assert.Single(Run<FileInfo>($"New-DensityMatrix -StateVector 1,1,'1i',0,2 | Export-DensityMatrixPlot -Path '{path}'", out errors));
        Assert.Empty(errors);
        var bytes = File.ReadAllBytes(file.FullName);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);

        Run<object>($"New-DensityMatrix -Populations 1 | Export-DensityMatrixPlot -Path '{path}'", out errors);
        Assert.StartsWith("DestinationExists", Assert.Single(errors).FullyQualifiedErrorId);
        Assert.Single(Run<FileInfo>($"New-DensityMatrix -Populations 1 | Export-DensityMatrixPlot -Path '{path}' -Force -Part Real", out errors));
        Assert.Empty(errors);
        Assert.Empty(Directory.GetFiles(_temp, "*.tmp"));
    }
}
