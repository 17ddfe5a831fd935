using System.Globalization;
using System.Management.Automation;
using System.Text;
using Dreamwell.Loom;

namespace Dreamwell.Cmdlets;

/// <summary>
/// An interactive console loop with a Loom model. Each line you type becomes a "NAME:" turn of a play-like script and
/// the model continues it until its turn ends (a blank line). /exit leaves, /temperature N changes sampling, /reset forgets.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "LoomChat")]
[OutputType(typeof(void))]
public sealed class StartLoomChatCommand : PSCmdlet
{
    private readonly CancellationTokenSource _stop = new();

    [Parameter(Mandatory = true, Position = 0)] public string Checkpoint { get; set; } = "";
    [Parameter] public string UserName { get; set; } = "YOU";
    /// <summary>The speaker the model answers as; empty lets the model choose who speaks next.</summary>
    [Parameter] [AllowEmptyString] public string ModelName { get; set; } = "";
    [Parameter] [ValidateRange(0.0, 100.0)] public float Temperature { get; set; } = 0.8f;
    [Parameter] [ValidateRange(1, 100_000)] public int MaxTokens { get; set; } = 300;
    [Parameter] public ulong Seed { get; set; } = 1337;

    protected override void EndProcessing()
    {
        LoomGenerator generator;
        try { generator = new LoomGenerator(LoomCheckpoint.Load(GetUnresolvedProviderPathFromPSPath(Checkpoint))); }
        catch (DreamException e) { ThrowTerminatingError(DreamErrorRecords.From(e, Checkpoint)); return; }
        var ui = Host.UI;
        ui.WriteLine($"Loom chat — {generator.Config.ParameterCount:N0} parameters. Type a line; /temperature N, /reset, /exit.");
        var history = new StringBuilder();
        float temperature = Temperature;
        ulong seed = Seed;
        while (!_stop.IsCancellationRequested)
        {
            ui.Write($"{UserName}: ");
            string? line = ui.ReadLine();
            if (line is null || line.Trim() == "/exit") break;
            if (line.StartsWith("/temperature", StringComparison.OrdinalIgnoreCase))
            {
                var arg = line["/temperature".Length..].Trim();
                if (float.TryParse(arg, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) && t >= 0 && t <= 100) temperature = t;
                else WriteWarning("Usage: /temperature N (0 = greedy, 0.8 = default).");
                ui.WriteLine($"temperature {temperature}");
                continue;
            }
            if (line.Trim() == "/reset") { history.Clear(); continue; }
            history.Append(UserName).Append(":\n").Append(line).Append("\n\n");
            if (ModelName.Length > 0) history.Append(ModelName).Append(":\n");
            var prompt = history.ToString();
            var reply = new StringBuilder();
            try
            {
                foreach (var piece in generator.Generate(prompt, new LoomSamplingOptions
                {
                    MaxTokens = MaxTokens, Temperature = temperature, Seed = seed++, UnknownCharacters = UnknownCharacterPolicy.Skip,
                }, _stop.Token))
                {
                    reply.Append(piece);
                    if (reply.Length >= 2 && reply[^1] == '\n' && reply[^2] == '\n') break; // end of the model's turn
                    ui.Write(piece);
                }
            }
            catch (OperationCanceledException) { break; }
            ui.WriteLine();
            history.Append(reply.ToString().TrimEnd('\n')).Append("\n\n");
            // The model only sees its last Context characters; keep a few times that.
            int keep = generator.Config.Context * 4;
            if (history.Length > keep) history.Remove(0, history.Length - keep);
        }
    }

    protected override void StopProcessing() => _stop.Cancel();
}
