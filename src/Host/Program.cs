using System.Management.Automation.Runspaces;
using Dreamwell.Host;
using Microsoft.PowerShell;

// `dream` is pwsh with the Dreamwell module imported: same switches (-File, -Command, -NoProfile…),
// same exit codes, plus the seed's verbs (`dream init`, `dream pack F`…) translated to cmdlets.
var modulePath = Path.Combine(AppContext.BaseDirectory, "Modules", "Dreamwell", "Dreamwell.psd1");
if (!File.Exists(modulePath))
{
    Console.Error.WriteLine($"dream: the Dreamwell module is missing at '{modulePath}'. Rebuild with `dotnet build src/Host`.");
    return 2;
}

var state = InitialSessionState.CreateDefault2();
state.ImportPSModule(modulePath);

var translated = SeedVerbs.Translate(args, out var verbError);
// Verb groups: `dream <group> <verb> …` translated to one PowerShell script (each translator quotes what the user typed).
var groups = new (string Name, Func<string[], string?> ToScript, string Usage)[]
{
    ("tesseract", TesseractVerbs.ToScript, TesseractVerbs.Usage),
    ("loom", LoomVerbs.ToScript, "usage: dream loom train|generate|chat [--options] (see docs/loom.md)"),
    ("portal", PortalVerbs.ToScript, PortalVerbs.Usage),
    ("signal", SignalVerbs.ToScript, SignalVerbs.Usage),
    ("up", UpVerbs.ToScript, UpVerbs.Usage),
};
foreach (var group in groups.Where(g => args.Length > 0 && args[0].Equals(g.Name, StringComparison.OrdinalIgnoreCase)))
{
    try
    {
        var script = group.ToScript(args);
        if (script is null) verbError = group.Usage;
        else translated = SeedVerbs.CommandArguments(script);
    }
    catch (ArgumentException e)
    {
        verbError = e.Message;
    }
}
if (verbError is not null)
{
    Console.Error.WriteLine($"dream: {verbError}");
    Console.Error.WriteLine(SeedVerbs.Usage);
    return 2;
}

return ConsoleShell.Start(state, "Dreamwell — dream shell (PowerShell with the Dreamwell module). Type Get-Command -Module Dreamwell.",
    SeedVerbs.Usage, translated ?? args);
