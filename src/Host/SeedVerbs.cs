namespace Dreamwell.Host;

/// <summary>The seed's short verbs (`dream pack F`) as the PowerShell they stand for.</summary>
internal static class SeedVerbs
{
    public const string Usage = """
        Usage: dream [pwsh switches]            an interactive shell with the Dreamwell module loaded
               dream -File script.ps1 | -c '…'  run a script or a command (exit codes as pwsh)
        Seed verbs:
               dream init [--name N] [--kind Human|Agent|Service] [--force]
               dream whoami | health | stats [local|identity]
               dream pack FILE [--format dreamfile|qport] [--level N] [--out PATH]
               dream fractal PATH [--level N] [--out PATH]
               dream delta BASE TARGET [--out PATH]
               dream open FILE [--out PATH] [--base BASE] [--force]
               dream verify FILE
               dream chain [--last N] | chain verify
               dream loom train --corpus DIR --checkpoint F [--dim 86 --blocks 8 --context 64 --epochs N --lr X]
               dream loom generate "TEXT" --checkpoint F | dream loom chat --checkpoint F
               dream tesseract start [--name N] [--control-port P] [--peer-port P] | stop | status | peers | connect HOST:PORT
               dream portal open DIR [--name N] | connect KEY [DIR] | ls | sync [NAME] | rm NAME
               dream signal open --name N DIR | join KEY [DIR] | ls | publish [NAME] | rm NAME
               dream up init --name N [--path DIR] [--force] | up --hello-universe [--path DIR] | up check [DIR]
        """;

    private static readonly HashSet<string> Verbs = new(StringComparer.OrdinalIgnoreCase)
        { "init", "whoami", "health", "stats", "pack", "fractal", "delta", "open", "verify", "chain" };

    /// <summary>Returns pwsh arguments for a seed verb, null when args are ordinary pwsh switches.</summary>
    public static string[]? Translate(string[] args, out string? error)
    {
        error = null;
        if (args.Length == 0 || !Verbs.Contains(args[0])) return null;
        var verb = args[0].ToLowerInvariant();
        var (positional, options) = Split(args[1..]);
        string? script;
        try
        {
            script = verb switch
            {
                "init" => "New-DreamIdentity" + Opt(options, "name", "-Name") + Opt(options, "kind", "-Kind") + Flag(options, "force", "-Force"),
                "whoami" => "Get-DreamIdentity",
                "health" => "$checks = Get-DreamHealth; $checks; if ($checks | Where-Object Status -eq 'Fail') { exit 1 }",
                "stats" => "Get-DreamStats -Scope " + PowerShellLiteral.Quote(positional.FirstOrDefault() ?? "local"),
                "pack" => "Compress-DreamFile -LiteralPath " + PowerShellLiteral.Quote(One(positional, "pack FILE")) + " -Format " + PowerShellLiteral.Quote(options.GetValueOrDefault("format", "dreamfile"))
                          + Opt(options, "level", "-Level") + Opt(options, "out", "-Destination") + Flag(options, "force", "-Force"),
                "fractal" => "Compress-DreamFile -Format Fractal -LiteralPath " + PowerShellLiteral.Quote(One(positional, "fractal PATH"))
                             + Opt(options, "level", "-Level") + Opt(options, "out", "-Destination") + Flag(options, "force", "-Force"),
                "delta" => positional.Count == 2
                    ? $"New-DreamDelta -Base {PowerShellLiteral.Quote(positional[0])} -Target {PowerShellLiteral.Quote(positional[1])}" + Opt(options, "out", "-Destination") + Flag(options, "force", "-Force")
                    : throw new ArgumentException("delta needs BASE and TARGET."),
                "open" => "Open-DreamFile -LiteralPath " + PowerShellLiteral.Quote(One(positional, "open FILE")) + Opt(options, "out", "-Destination")
                          + Opt(options, "base", "-Base") + Flag(options, "force", "-Force"),
                "verify" => "$v = Test-DreamFile -LiteralPath " + PowerShellLiteral.Quote(One(positional, "verify FILE")) + "; $v; if (-not $v.IsValid) { exit 1 }",
                "chain" => positional.FirstOrDefault() == "verify"
                    ? "$v = Test-SealChain; $v; if (-not $v.IsValid) { exit 1 }"
                    : "Get-SealChain" + Opt(options, "last", "-Last"),
                _ => null,
            };
        }
        catch (ArgumentException e)
        {
            error = e.Message;
            return null;
        }
        return script is null ? null : CommandArguments(script);
    }

    /// <summary>pwsh arguments that run one verb's script and fail (exit 1) on its first error.</summary>
    public static string[] CommandArguments(string script) =>
        new[] { "-NoLogo", "-NoProfile", "-Command", "$ErrorActionPreference = 'Stop'; " + script };

    private static (List<string> Positional, Dictionary<string, string> Options) Split(string[] args)
    {
        var positional = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                var name = args[i][2..];
                var eq = name.IndexOf('=');
                if (eq >= 0) options[name[..eq]] = name[(eq + 1)..];
                else if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) && name != "force") options[name] = args[++i];
                else options[name] = "";
            }
            else
            {
                positional.Add(args[i]);
            }
        }
        return (positional, options);
    }

    private static string One(List<string> positional, string usage) =>
        positional.Count == 1 ? positional[0] : throw new ArgumentException($"usage: dream {usage}");

    private static string Opt(Dictionary<string, string> options, string name, string parameter) =>
        options.TryGetValue(name, out var value) ? $" {parameter} {PowerShellLiteral.Quote(value)}" : "";

    private static string Flag(Dictionary<string, string> options, string name, string parameter) =>
        options.ContainsKey(name) ? " " + parameter : "";
}
