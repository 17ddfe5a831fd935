using System.Management.Automation;
using Dreamwell.Loom;

namespace Dreamwell.Cmdlets;

/// <summary>Generates text from a Loom checkpoint. -Stream writes each character as it is sampled.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "LoomGenerate")]
[OutputType(typeof(string))]
public sealed class InvokeLoomGenerateCommand : PSCmdlet
{
    private readonly CancellationTokenSource _stop = new();

    [Parameter(Mandatory = true, Position = 0)] public string Checkpoint { get; set; } = "";
    [Parameter(Position = 1, ValueFromPipeline = true)] [AllowEmptyString] public string Prompt { get; set; } = "";
    [Parameter] [ValidateRange(0, 1_000_000)] public int MaxTokens { get; set; } = 200;
    [Parameter] [ValidateRange(0.0, 100.0)] public float Temperature { get; set; } = 0.8f;
    [Parameter] [ValidateRange(0, int.MaxValue)] public int TopK { get; set; }
    [Parameter] [ValidateRange(0.0001, 1.0)] public float TopP { get; set; } = 1f;
    [Parameter] public ulong Seed { get; set; } = 1337;
    /// <summary>Write each character as its own string, as soon as it is sampled.</summary>
    [Parameter] public SwitchParameter Stream { get; set; }
    /// <summary>Drop prompt characters the model never saw instead of failing.</summary>
    [Parameter] public SwitchParameter SkipUnknown { get; set; }

    private LoomGenerator? _generator;

    protected override void ProcessRecord()
    {
        try
        {
            _generator ??= new LoomGenerator(LoomCheckpoint.Load(GetUnresolvedProviderPathFromPSPath(Checkpoint)));
            var options = new LoomSamplingOptions
            {
                MaxTokens = MaxTokens, Temperature = Temperature, TopK = TopK, TopP = TopP, Seed = Seed,
                UnknownCharacters = SkipUnknown ? UnknownCharacterPolicy.Skip : UnknownCharacterPolicy.Error,
            };
            var pieces = _generator.Generate(Prompt, options, _stop.Token);
            if (Stream)
            {
                foreach (var piece in pieces) WriteObject(piece);
            }
            else
            {
                WriteObject(Prompt + string.Concat(pieces));
            }
        }
        catch (Exception e) when (e is DreamException or OperationCanceledException)
        {
            WriteError(DreamErrorRecords.From(e, Checkpoint));
        }
    }

    protected override void StopProcessing() => _stop.Cancel();
}
