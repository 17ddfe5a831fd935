using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Microsoft.PowerShell.Commands;

namespace Dreamwell.Tests.Projects;

/// <summary>
/// docs/tapestry.schema.json and docs/tapestry.md from the repository, and an independent validator for the schema:
/// PowerShell's own Test-Json (JsonSchema.Net, draft 2020-12), not the engine's reader.
/// </summary>
internal static class TapestrySchema
{
    public static string Docs { get; } = LocateDocs();

    public static string SchemaFile => Path.Combine(Docs, "tapestry.schema.json");

    /// <summary>The schema's complaints about a document; empty when it validates.</summary>
    public static IReadOnlyList<string> Errors(string json)
    {
        var state = InitialSessionState.CreateDefault2();
        state.Commands.Add(new SessionStateCmdletEntry("Test-Json", typeof(TestJsonCommand), null));
        using var shell = PowerShell.Create(state);
        shell.AddCommand("Test-Json").AddParameter("Json", json).AddParameter("SchemaFile", SchemaFile).AddParameter("ErrorAction", "SilentlyContinue");
        var valid = (bool)shell.Invoke().Single().BaseObject;
        if (valid) return [];
        var errors = shell.Streams.Error.Select(e => e.ErrorDetails?.Message ?? e.Exception.Message).ToList();
        return errors.Count > 0 ? errors : ["invalid (Test-Json gave no detail)"];
    }

    private static string LocateDocs()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dreamwell.PowerShell.sln"))) return Path.Combine(dir.FullName, "docs");
        }
        throw new InvalidOperationException($"No Dreamwell.PowerShell.sln above '{AppContext.BaseDirectory}'.");
    }
}
