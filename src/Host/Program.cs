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
if (args.Length > 0 && args[0].Equals("tesseract", StringComparison.OrdinalIgnoreCase))
{
    try
    {
        var script = TesseractVerbs.ToScript(args);
        if (script is null) verbError = TesseractVerbs.Usage;
        else translated = SeedVerbs.CommandArguments(script);
    }
    catch (ArgumentException e)
    {
        verbError = e.Message;
    }
}
if (args.Length > 0 && args[0].Equals("loom", StringComparison.OrdinalIgnoreCase))
{
    try
    {
        var script = LoomVerbs.ToScript(args);
        if (script is null) verbError = "usage: dream loom train|generate|chat [--options] (see docs/loom.md)";
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
