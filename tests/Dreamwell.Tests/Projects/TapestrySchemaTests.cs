using System.Text.Json;
using Dreamwell.Projects;
using Dreamwell.Tests.Support;

namespace Dreamwell.Tests.Projects;

/// <summary>The shipped JSON Schema, the document and the engine's reader say the same thing.</summary>
public sealed class TapestrySchemaTests
{
    private const string Owner = "0123456789abcdef";

    [Theory]
    [InlineData(ProjectTemplate.Blank)]
    [InlineData(ProjectTemplate.HelloUniverse)]
    public void The_scaffolds_tapestry_validates_against_the_shipped_schema(ProjectTemplate template)
    {
        using var temp = new TempHome();
        var project = ProjectScaffold.Create(temp.Scratch, "hello", Owner, template, force: false, DateTimeOffset.UtcNow);
        Assert.Empty(TapestrySchema.Errors(File.ReadAllText(Path.Combine(project.Path, Tapestry.FileName))));
    }

    [Fact]
    public void The_document_holds_the_schema_file_verbatim_and_the_name_rule_is_the_codes()
    {
        var schema = File.ReadAllText(TapestrySchema.SchemaFile).ReplaceLineEndings("\n");
        Assert.Contains("```json\n" + schema + "```", File.ReadAllText(Path.Combine(TapestrySchema.Docs, "tapestry.md")).ReplaceLineEndings("\n"));
        using var parsed = JsonDocument.Parse(schema);
        Assert.Equal(ProjectName.Pattern, parsed.RootElement.GetProperty("$defs").GetProperty("name").GetProperty("pattern").GetString());
    }

    public static TheoryData<string, string> Documents() => new()
    {
        // label, document: both the schema and the reader accept the first few and refuse the rest
        { "minimal", """{"tapestry":1,"name":"a","owner":"0123456789abcdef","created":"2026-01-02T03:04:05Z","signal":{"name":"a","path":"signal"}}""" },
        { "everything", """{"tapestry":1,"name":"a.b_c-1","description":"d","owner":"0123456789abcdef","created":"2026-01-02T03:04:05.123+02:00","signal":{"name":"a","path":"pub/site"},"portals":[{"name":"p","path":"share"}],"entries":[{"path":"pub/site/a b.txt","kind":"text","title":"t","blake3":"0000000000000000000000000000000000000000000000000000000000000000"}]}""" },
        { "extensions", """{"tapestry":1,"name":"a","owner":"0123456789abcdef","created":"2026-01-02T03:04:05Z","signal":{"name":"a","path":"signal","x-color":"red"},"x-tool":{"any":[1,2]}}""" },
        { "!version 2", """{"tapestry":2,"name":"a","owner":"0123456789abcdef","created":"2026-01-02T03:04:05Z","signal":{"name":"a","path":"signal"}}""" },
        { "!no owner", """{"tapestry":1,"name":"a","created":"2026-01-02T03:04:05Z","signal":{"name":"a","path":"signal"}}""" },
        { "!upper-case owner", """{"tapestry":1,"name":"a","owner":"0123456789ABCDEF","created":"2026-01-02T03:04:05Z","signal":{"name":"a","path":"signal"}}""" },
        { "!name with a slash", """{"tapestry":1,"name":"a/b","owner":"0123456789abcdef","created":"2026-01-02T03:04:05Z","signal":{"name":"a","path":"signal"}}""" },
        { "!date only", """{"tapestry":1,"name":"a","owner":"0123456789abcdef","created":"2026-01-02","signal":{"name":"a","path":"signal"}}""" },
        { "!dot-dot path", """{"tapestry":1,"name":"a","owner":"0123456789abcdef","created":"2026-01-02T03:04:05Z","signal":{"name":"a","path":"a/../../etc"}}""" },
        { "!absolute path", """{"tapestry":1,"name":"a","owner":"0123456789abcdef","created":"2026-01-02T03:04:05Z","signal":{"name":"a","path":"/etc"}}""" },
        { "!drive path", """{"tapestry":1,"name":"a","owner":"0123456789abcdef","created":"2026-01-02T03:04:05Z","signal":{"name":"a","path":"c:/windows"}}""" },
        { "!backslash path", """{"tapestry":1,"name":"a","owner":"0123456789abcdef","created":"2026-01-02T03:04:05Z","signal":{"name":"a","path":"a\\b"}}""" },
        { "!empty segment", """{"tapestry":1,"name":"a","owner":"0123456789abcdef","created":"2026-01-02T03:04:05Z","signal":{"name":"a","path":"a//b"}}""" },
        { "!typo property", """{"tapestry":1,"name":"a","owner":"0123456789abcdef","created":"2026-01-02T03:04:05Z","signal":{"name":"a","path":"signal"},"entires":[]}""" },
        { "!unknown kind", """{"tapestry":1,"name":"a","owner":"0123456789abcdef","created":"2026-01-02T03:04:05Z","signal":{"name":"a","path":"signal"},"entries":[{"path":"x","kind":"video"}]}""" },
        { "!short hash", """{"tapestry":1,"name":"a","owner":"0123456789abcdef","created":"2026-01-02T03:04:05Z","signal":{"name":"a","path":"signal"},"entries":[{"path":"x","kind":"page","blake3":"abc"}]}""" },
        { "!portals not an array", """{"tapestry":1,"name":"a","owner":"0123456789abcdef","created":"2026-01-02T03:04:05Z","signal":{"name":"a","path":"signal"},"portals":{}}""" },
        { "!not an object", """[1,2,3]""" },
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public void Schema_and_reader_agree(string label, string json)
    {
        var expectValid = !label.StartsWith('!');
        var schemaErrors = TapestrySchema.Errors(json);
        var (tapestry, problems) = TapestryReader.Check(System.Text.Encoding.UTF8.GetBytes(json));
        Assert.True(expectValid == (schemaErrors.Count == 0), $"schema on '{label}': {string.Join("; ", schemaErrors)}");
        Assert.True(expectValid == (tapestry is not null), $"reader on '{label}': {string.Join("; ", problems)}");
    }
}
