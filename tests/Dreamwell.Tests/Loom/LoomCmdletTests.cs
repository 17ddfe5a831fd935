using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Dreamwell.Cmdlets;
using Dreamwell.Loom;
using Xunit;

namespace Dreamwell.Tests.Loom;

public sealed class LoomCmdletTests : IDisposable
{
    private readonly LoomTestText.TempFolder _temp = new();
    private readonly Runspace _runspace;

    public LoomCmdletTests()
    {
        var state = InitialSessionState.CreateDefault2();
        foreach (var (name, type) in new[]
        {
            ("Invoke-LoomTrain", typeof(InvokeLoomTrainCommand)), ("Invoke-LoomGenerate", typeof(InvokeLoomGenerateCommand)),
            ("Get-LoomCheckpoint", typeof(GetLoomCheckpointCommand)), ("Measure-LoomModel", typeof(MeasureLoomModelCommand)),
            ("Export-LoomLossPlot", typeof(ExportLoomLossPlotCommand)), ("Start-LoomChat", typeof(StartLoomChatCommand)),
        })
            state.Commands.Add(new SessionStateCmdletEntry(name, type, null));
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
        File.WriteAllText(_temp.File("corpus.txt"), LoomTestText.Corpus);
    }

    public void Dispose()
    {
        _runspace.Dispose();
        _temp.Dispose();
    }

    private (List<PSObject> Output, List<ErrorRecord> Errors) Run(string script)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript($"Set-Location '{_temp.Path}'\n" + script);
        var output = ps.Invoke().ToList();
        return (output, ps.Streams.Error.ToList());
    }

    private const string Tiny = "-Dim 24 -Blocks 2 -Heads 2 -Context 16 -BatchSize 8 -LearningRate 0.01 -WarmupSteps 5 -EvalInterval 10";

    [Fact]
    public void TrainInspectGenerateMeasureAndPlot()
    {
        var (trained, errors) = Run($"Invoke-LoomTrain -Corpus corpus.txt -Checkpoint m.quantumtensor {Tiny} -MaxSteps 30");
        Assert.Empty(errors);
        var result = Assert.IsType<LoomTrainingResult>(Assert.Single(trained).BaseObject);
        Assert.Equal(30, result.Step);
        Assert.False(result.Stopped);
        Assert.True(File.Exists(_temp.File("m.quantumtensor")));

        var info = Assert.IsType<LoomCheckpointInfo>(Assert.Single(Run("Get-LoomCheckpoint m.quantumtensor").Output).BaseObject);
        Assert.Equal(30, info.Step);
        Assert.Equal(30, info.LossHistory.Length);
        Assert.Equal(3, info.ValidationLossHistory.Length);

        var text = (string)Assert.Single(Run("Invoke-LoomGenerate m.quantumtensor -Prompt 'the ' -MaxTokens 10 -Seed 3").Output).BaseObject;
        Assert.StartsWith("the ", text);
        Assert.Equal(14, text.Length);
        var streamed = Run("Invoke-LoomGenerate m.quantumtensor -Prompt 'the ' -MaxTokens 10 -Seed 3 -Stream").Output;
        Assert.Equal(10, streamed.Count);
        Assert.Equal(text[4..], string.Concat(streamed.Select(o => (string)o.BaseObject)));

        var measured = Assert.IsType<LoomMeasurement>(Assert.Single(Run("Measure-LoomModel m.quantumtensor corpus.txt").Output).BaseObject);
        Assert.True(measured.BitsPerCharacter > 0 && measured.BitsPerCharacter < 8);

        Assert.Empty(Run("Export-LoomLossPlot m.quantumtensor loss.png -WhatIf").Output);
        Assert.False(File.Exists(_temp.File("loss.png")));
        var file = Assert.IsType<FileInfo>(Assert.Single(Run("Export-LoomLossPlot m.quantumtensor loss.png").Output).BaseObject);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(file.FullName)[..4]);
    }

    [Fact]
    public void StoppingTheForegroundTrainingSavesACheckpoint()
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript($"Set-Location '{_temp.Path}'; Invoke-LoomTrain corpus.txt ctrlc.quantumtensor {Tiny} -MaxSteps 100000 -SaveEvery 0");
        var pending = ps.BeginInvoke();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (ps.Streams.Progress.Count == 0 && DateTime.UtcNow < deadline) Thread.Sleep(50);
        Assert.NotEmpty(ps.Streams.Progress);
        ps.Stop(); // what Ctrl+C does
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        var state = LoomCheckpoint.Load(_temp.File("ctrlc.quantumtensor"));
        Assert.InRange(state.Step, 1, 99_999);
        Assert.Equal(state.Step, state.LossHistory.Length);
    }

    [Fact]
    public void FailuresCarryTheEngineErrorId()
    {
        var (_, errors) = Run("Invoke-LoomGenerate missing.quantumtensor -Prompt x");
        Assert.StartsWith("LoomCheckpointNotFound", Assert.Single(errors).FullyQualifiedErrorId);
        Run($"Invoke-LoomTrain corpus.txt m.quantumtensor {Tiny} -MaxSteps 2");
        var (_, again) = Run($"try {{ Invoke-LoomTrain corpus.txt m.quantumtensor {Tiny} -MaxSteps 2 }} catch {{ Write-Error -ErrorRecord $_ }}");
        Assert.StartsWith("LoomCheckpointExists", Assert.Single(again).FullyQualifiedErrorId);
        var (_, unknown) = Run("Invoke-LoomGenerate m.quantumtensor -Prompt 'QX'");
        Assert.StartsWith("LoomUnknownCharacters", Assert.Single(unknown).FullyQualifiedErrorId);
        var (_, heads) = Run($"try {{ Invoke-LoomTrain corpus.txt h.quantumtensor -Dim 24 -Heads 5 -MaxSteps 1 }} catch {{ Write-Error -ErrorRecord $_ }}");
        Assert.StartsWith("LoomHeadsMustDivideDim", Assert.Single(heads).FullyQualifiedErrorId);
    }

    [Theory]
    [InlineData(true)]   // Import-Module registers DreamJobSourceAdapter with the JobManager
    [InlineData(false)]  // cmdlets added without the module: the job goes to the session's job repository
    public void AsJobWorksWithTheJobCmdletsAndStopJobSaves(bool importModule)
    {
        if (importModule)
            Assert.Empty(Run($"Import-Module '{typeof(DreamJob).Assembly.Location}'").Errors);
        var (started, errors) = Run($"Invoke-LoomTrain corpus.txt job.quantumtensor {Tiny} -MaxSteps 100000 -SaveEvery 0 -AsJob -JobName loomtest");
        Assert.Empty(errors);
        var job = Assert.IsType<DreamJob>(Assert.Single(started).BaseObject);
        Assert.Equal(importModule, new DreamJobSourceAdapter().GetJobs().Contains(job));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (job.Progress.Count == 0 && DateTime.UtcNow < deadline) Thread.Sleep(50);
        Assert.NotEmpty(job.Progress);

        var found = Run("Get-Job -Name loomtest").Output;
        Assert.Same(job, Assert.Single(found).BaseObject);
        Run("Stop-Job -Name loomtest");
        Assert.Equal(JobState.Stopped, job.JobStateInfo.State);
        Assert.True(File.Exists(_temp.File("job.quantumtensor")));

        var received = Run("Wait-Job -Name loomtest | Receive-Job").Output;
        var result = Assert.IsType<LoomTrainingResult>(Assert.Single(received).BaseObject);
        Assert.True(result.Stopped);
        Assert.Equal(result.Step, LoomCheckpoint.Load(_temp.File("job.quantumtensor")).Step);

        Run("Remove-Job -Name loomtest");
        Assert.Empty(Run("Get-Job -Name loomtest -ErrorAction SilentlyContinue").Output);
    }
}
