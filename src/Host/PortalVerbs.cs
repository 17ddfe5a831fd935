namespace Dreamwell.Host;

/// <summary>
/// Translates `dream portal …` into PowerShell:
///   dream portal open DIR [--name N]        prints the key to give to a friend
///   dream portal connect KEY [DIR] [--name N]
///   dream portal ls | sync [NAME] | rm NAME
/// Everything the user typed becomes a single-quoted literal. Returns null when the verb is unknown.
/// </summary>
internal static class PortalVerbs
{
    public const string Usage = "usage: dream portal open DIR [--name N] | connect KEY [DIR] [--name N] | ls | sync [NAME] | rm NAME";

    public static string? ToScript(string[] args)
    {
        var list = args.ToList();
        if (list.Count > 0 && list[0].Equals("portal", StringComparison.OrdinalIgnoreCase)) list.RemoveAt(0);
        if (list.Count == 0) return null;
        var verb = list[0].ToLowerInvariant();
        var (positional, name) = VerbArguments.PositionalAndName(list.Skip(1).ToList(), Usage);
        return verb switch
        {
            "open" => positional.Count == 1
                ? $"(New-Portal -Path {PowerShellLiteral.Quote(positional[0])}{NameParameter(name)}).Key"
                : throw new ArgumentException("open needs one folder: dream portal open ~/photos"),
            "connect" => positional.Count is 1 or 2
                ? $"Connect-Portal -Key {PowerShellLiteral.Quote(positional[0])}{(positional.Count == 2 ? " -Path " + PowerShellLiteral.Quote(positional[1]) : "")}{NameParameter(name)}"
                : throw new ArgumentException("connect needs the key and optionally a folder: dream portal connect KEY [DIR]"),
            "ls" => NoMore(verb, positional, name, "Get-Portal"),
            "sync" => positional.Count <= 1 && name is null
                ? "Sync-Portal" + (positional.Count == 1 ? " -Name " + PowerShellLiteral.Quote(positional[0]) : "")
                : throw new ArgumentException("sync takes at most one portal name."),
            "rm" => positional.Count == 1 && name is null
                ? $"Remove-Portal -Name {PowerShellLiteral.Quote(positional[0])} -Confirm:$false"
                : throw new ArgumentException("rm needs one portal name."),
            _ => null,
        };
    }

    private static string NameParameter(string? name) => name is null ? "" : " -Name " + PowerShellLiteral.Quote(name);

    private static string NoMore(string verb, List<string> positional, string? name, string script) =>
        positional.Count == 0 && name is null ? script : throw new ArgumentException($"'{verb}' takes no arguments.");
}
