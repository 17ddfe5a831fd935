namespace Dreamwell.Host;

/// <summary>
/// Translates `dream up …` into PowerShell:
///   dream up init --name N [--path DIR] [--force]     a new project folder DIR/N
///   dream up --hello-universe [--path DIR] [--force]  the demo project (init --hello-universe also works)
///   dream up check [DIR]                              Test-DreamProject; exit 1 when the project is invalid
/// Everything the user typed becomes a single-quoted literal. Returns null when the verb is unknown.
/// </summary>
internal static class UpVerbs
{
    public const string Usage = "usage: dream up init --name N [--path DIR] [--force] | up --hello-universe [--path DIR] [--force] | up check [DIR]";

    public static string? ToScript(string[] args)
    {
        var list = args.ToList();
        if (list.Count > 0 && list[0].Equals("up", StringComparison.OrdinalIgnoreCase)) list.RemoveAt(0);
        if (list.Count == 0) return null;
        // `dream up --hello-universe` has no verb: the options alone mean init.
        var implicitInit = list[0].StartsWith("--", StringComparison.Ordinal);
        var verb = implicitInit ? "init" : list[0].ToLowerInvariant();
        if (verb is not ("init" or "check")) return null;
        var options = Parse(list.Skip(implicitInit ? 0 : 1).ToList());
        return verb switch
        {
            "init" => Init(options),
            "check" => options.Positional.Count <= 1 && options is { Name: null, Path: null, Force: false, HelloUniverse: false }
                ? "$v = Test-DreamProject" + (options.Positional.Count == 1 ? " -Path " + PowerShellLiteral.Quote(options.Positional[0]) : "") + "; $v; if (-not $v.IsValid) { exit 1 }"
                : throw new ArgumentException("check takes at most one project folder: dream up check [DIR]"),
            _ => null,
        };
    }

    private static string Init(Options options)
    {
        if (options.Positional.Count > 0)
            throw new ArgumentException($"Unexpected '{options.Positional[0]}': give the name with --name. {Usage}");
        if (!options.HelloUniverse && options.Name is null)
            throw new ArgumentException("init needs --name N (or --hello-universe for the demo project).");
        var script = options.HelloUniverse ? "New-DreamProject -HelloUniverse" : "New-DreamProject";
        if (options.Name is not null) script += " -Name " + PowerShellLiteral.Quote(options.Name);
        if (options.Path is not null) script += " -Path " + PowerShellLiteral.Quote(options.Path);
        return options.Force ? script + " -Force" : script;
    }

    private sealed record Options(List<string> Positional, string? Name, string? Path, bool Force, bool HelloUniverse);

    private static Options Parse(List<string> args)
    {
        var positional = new List<string>();
        string? name = null, path = null;
        bool force = false, helloUniverse = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.Equals("--force", StringComparison.OrdinalIgnoreCase)) force = true;
            else if (arg.Equals("--hello-universe", StringComparison.OrdinalIgnoreCase)) helloUniverse = true;
            else if (TryValue(args, ref i, "--name", out var n)) name = n;
            else if (TryValue(args, ref i, "--path", out var p)) path = p;
            else if (arg.StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Unknown option '{arg}'. {Usage}");
            else positional.Add(arg);
        }
        return new Options(positional, name, path, force, helloUniverse);
    }

    /// <summary>Reads `--option value` or `--option=value`.</summary>
    private static bool TryValue(List<string> args, ref int i, string option, out string? value)
    {
        value = null;
        var arg = args[i];
        if (arg.StartsWith(option + "=", StringComparison.OrdinalIgnoreCase)) { value = arg[(option.Length + 1)..]; return true; }
        if (!arg.Equals(option, StringComparison.OrdinalIgnoreCase)) return false;
        value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{option} needs a value.");
        return true;
    }
}
