using System.Globalization;
using System.Text;

namespace Dreamwell.Host;

/// <summary>
/// Translates the seed's `dream loom …` command line into the PowerShell text the host runs:
///   dream loom train --corpus DIR --checkpoint x.quantumtensor [--dim 86] [--blocks 8] [--heads 2] [--epochs N] [--lr 0.002] [--context 64] …
///   dream loom generate "To be or not to be" --checkpoint x.quantumtensor   (or --generate "…")
///   dream loom chat --checkpoint x.quantumtensor                             (or --chat)
/// The seed's flag style (`dream loom --train …`, `--generate TEXT`, `--chat`) is accepted too.
/// Returns null when the arguments are not a loom command; throws ArgumentException (message for the user) on bad flags.
/// Every value is validated and emitted as a number or a single-quoted literal, so nothing the user types is executed.
/// </summary>
internal static class LoomVerbs
{
    private static readonly Dictionary<string, (string Parameter, Kind Kind)> TrainFlags = new(StringComparer.OrdinalIgnoreCase)
    {
        ["--corpus"] = ("Corpus", Kind.Text), ["--checkpoint"] = ("Checkpoint", Kind.Text),
        ["--dim"] = ("Dim", Kind.Integer), ["--blocks"] = ("Blocks", Kind.Integer), ["--heads"] = ("Heads", Kind.Integer),
        ["--context"] = ("Context", Kind.Integer), ["--epochs"] = ("Epochs", Kind.Number), ["--steps"] = ("MaxSteps", Kind.Integer),
        ["--max-steps"] = ("MaxSteps", Kind.Integer), ["--lr"] = ("LearningRate", Kind.Number), ["--batch"] = ("BatchSize", Kind.Integer),
        ["--batch-size"] = ("BatchSize", Kind.Integer), ["--seed"] = ("Seed", Kind.Integer), ["--dropout"] = ("Dropout", Kind.Number),
        ["--warmup"] = ("WarmupSteps", Kind.Integer), ["--threads"] = ("Threads", Kind.Integer),
        ["--resume"] = ("Resume", Kind.Switch), ["--force"] = ("Force", Kind.Switch), ["--as-job"] = ("AsJob", Kind.Switch),
    };

    private static readonly Dictionary<string, (string Parameter, Kind Kind)> GenerateFlags = new(StringComparer.OrdinalIgnoreCase)
    {
        ["--checkpoint"] = ("Checkpoint", Kind.Text), ["--generate"] = ("Prompt", Kind.Text), ["--prompt"] = ("Prompt", Kind.Text),
        ["--max-tokens"] = ("MaxTokens", Kind.Integer), ["--temperature"] = ("Temperature", Kind.Number), ["--top-k"] = ("TopK", Kind.Integer),
        ["--top-p"] = ("TopP", Kind.Number), ["--seed"] = ("Seed", Kind.Integer), ["--skip-unknown"] = ("SkipUnknown", Kind.Switch),
    };

    private static readonly Dictionary<string, (string Parameter, Kind Kind)> ChatFlags = new(StringComparer.OrdinalIgnoreCase)
    {
        ["--checkpoint"] = ("Checkpoint", Kind.Text), ["--temperature"] = ("Temperature", Kind.Number), ["--max-tokens"] = ("MaxTokens", Kind.Integer),
        ["--seed"] = ("Seed", Kind.Integer), ["--name"] = ("UserName", Kind.Text), ["--model-name"] = ("ModelName", Kind.Text),
    };

    /// <summary>Used when train has no --corpus: the module's own docs (the repo ships no third-party text).</summary>
    internal const string DefaultCorpusExpression = "(Join-Path (Split-Path -Parent (Get-Module Dreamwell).Path) 'docs')";
    internal const string DefaultCheckpoint = "loom.quantumtensor";

    private enum Kind { Text, Integer, Number, Switch }

    public static string? ToScript(string[] args)
    {
        var list = args.ToList();
        if (list.Count > 0 && list[0].Equals("loom", StringComparison.OrdinalIgnoreCase)) list.RemoveAt(0);
        if (list.Count == 0) return null;
        string verb;
        string? positional = null;
        switch (list[0].ToLowerInvariant())
        {
            case "train" or "--train": verb = "train"; list.RemoveAt(0); break;
            case "chat" or "--chat": verb = "chat"; list.RemoveAt(0); break;
            case "generate":
                verb = "generate"; list.RemoveAt(0);
                if (list.Count > 0 && !list[0].StartsWith("--", StringComparison.Ordinal)) { positional = list[0]; list.RemoveAt(0); }
                break;
            default:
                // Seed style: flags in any order, the mode named by --train, --generate TEXT or --chat.
                if (list.Any(a => a.Equals("--train", StringComparison.OrdinalIgnoreCase))) { verb = "train"; list.RemoveAll(a => a.Equals("--train", StringComparison.OrdinalIgnoreCase)); }
                else if (list.Any(a => a.Equals("--chat", StringComparison.OrdinalIgnoreCase))) { verb = "chat"; list.RemoveAll(a => a.Equals("--chat", StringComparison.OrdinalIgnoreCase)); }
                else if (list.Any(a => a.Equals("--generate", StringComparison.OrdinalIgnoreCase))) verb = "generate";
                else return null;
                break;
        }
        var (command, flags) = verb switch
        {
            "train" => ("Invoke-LoomTrain", TrainFlags),
            "generate" => ("Invoke-LoomGenerate", GenerateFlags),
            _ => ("Start-LoomChat", ChatFlags),
        };
        var bound = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (positional is not null) bound["Prompt"] = PowerShellLiteral.Quote(positional);
        for (int i = 0; i < list.Count; i++)
        {
            if (!flags.TryGetValue(list[i], out var flag))
                throw new ArgumentException($"dream loom {verb}: unknown option '{list[i]}'. Options: {string.Join(" ", flags.Keys.Order())}.");
            if (flag.Kind == Kind.Switch) { bound[flag.Parameter] = ""; continue; }
            if (i + 1 >= list.Count) throw new ArgumentException($"dream loom {verb}: {list[i]} needs a value.");
            bound[flag.Parameter] = Value(list[i], list[++i], flag.Kind);
        }
        if (verb == "train") bound.TryAdd("Corpus", DefaultCorpusExpression);
        bound.TryAdd("Checkpoint", PowerShellLiteral.Quote(DefaultCheckpoint));
        if (verb == "generate") bound.TryAdd("Prompt", "''");

        var script = new StringBuilder(command);
        foreach (var (parameter, value) in bound)
            script.Append(" -").Append(parameter).Append(value.Length > 0 ? " " + value : "");
        if (verb == "generate")
            script.Append(" -Stream | ForEach-Object { [Console]::Write($_) }; [Console]::WriteLine()");
        return script.ToString();
    }

    private static string Value(string flag, string text, Kind kind)
    {
        switch (kind)
        {
            case Kind.Integer when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n):
                return n.ToString(CultureInfo.InvariantCulture);
            case Kind.Number when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x):
                return x.ToString("R", CultureInfo.InvariantCulture);
            case Kind.Text:
                return PowerShellLiteral.Quote(text);
            default:
                throw new ArgumentException($"{flag} needs a {(kind == Kind.Integer ? "whole number" : "number")}; got '{text}'.");
        }
    }
}
