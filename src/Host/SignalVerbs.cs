namespace Dreamwell.Host;

/// <summary>
/// Translates `dream signal …` into PowerShell:
///   dream signal open --name N DIR       prints the key to hand out
///   dream signal join KEY [DIR] [--name N]
///   dream signal ls | publish [NAME] | rm NAME
/// Everything the user typed becomes a single-quoted literal. Returns null when the verb is unknown.
/// </summary>
internal static class SignalVerbs
{
    public const string Usage = "usage: dream signal open --name N DIR | join KEY [DIR] [--name N] | ls | publish [NAME] | rm NAME";

    public static string? ToScript(string[] args)
    {
        var list = args.ToList();
        if (list.Count > 0 && list[0].Equals("signal", StringComparison.OrdinalIgnoreCase)) list.RemoveAt(0);
        if (list.Count == 0) return null;
        var verb = list[0].ToLowerInvariant();
        var (positional, name) = VerbArguments.PositionalAndName(list.Skip(1).ToList(), Usage);
        return verb switch
        {
            "open" => positional.Count == 1 && name is not null
                ? $"(New-Signal -Name {PowerShellLiteral.Quote(name)} -Path {PowerShellLiteral.Quote(positional[0])}).Key"
                : throw new ArgumentException("open needs --name and one folder: dream signal open --name blog ~/posts"),
            "join" => positional.Count is 1 or 2
                ? $"Join-Signal -Key {PowerShellLiteral.Quote(positional[0])}{(positional.Count == 2 ? " -Path " + PowerShellLiteral.Quote(positional[1]) : "")}{(name is null ? "" : " -Name " + PowerShellLiteral.Quote(name))}"
                : throw new ArgumentException("join needs the key and optionally a folder: dream signal join KEY [DIR]"),
            "ls" => positional.Count == 0 && name is null ? "Get-Signal" : throw new ArgumentException("'ls' takes no arguments."),
            "publish" => positional.Count <= 1 && name is null
                ? "Publish-Signal" + (positional.Count == 1 ? " -Name " + PowerShellLiteral.Quote(positional[0]) : "")
                : throw new ArgumentException("publish takes at most one signal name."),
            "rm" => positional.Count == 1 && name is null
                ? $"Remove-Signal -Name {PowerShellLiteral.Quote(positional[0])} -Confirm:$false"
                : throw new ArgumentException("rm needs one signal name."),
            _ => null,
        };
    }
}

/// <summary>The argument shape the portal and signal verbs share: positional words and an optional --name.</summary>
internal static class VerbArguments
{
    public static (List<string> Positional, string? Name) PositionalAndName(List<string> args, string usage)
    {
        var positional = new List<string>();
        string? name = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.StartsWith("--name=", StringComparison.OrdinalIgnoreCase)) name = arg[7..];
            else if (arg.Equals("--name", StringComparison.OrdinalIgnoreCase))
                name = i + 1 < args.Count ? args[++i] : throw new ArgumentException("--name needs a value.");
            else if (arg.StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Unknown option '{arg}'. {usage}");
            else positional.Add(arg);
        }
        return (positional, name);
    }
}
