using System.Text;
using Dreamwell.Projects;
using Dreamwell.Tests.Support;

namespace Dreamwell.Tests.Projects;

public sealed class TapestryReaderTests
{
    private static (Tapestry? Tapestry, IReadOnlyList<string> Problems) Check(string json) => TapestryReader.Check(Encoding.UTF8.GetBytes(json));

    private const string Valid = """{"tapestry":1,"name":"hello","owner":"0123456789abcdef","created":"2026-11-25T21:46:42Z","signal":{"name":"site","path":"signal"}}""";

    [Fact]
    public void What_the_scaffold_writes_reads_back_equal()
    {
        var written = new Tapestry("hello", "0123456789abcdef", DateTimeOffset.Parse("2026-11-25T21:46:42Z"), new TapestrySignal("hello", "signal"),
            [new TapestryPortal("notes", "notes")], [new TapestryEntry("signal/index.html", "page", "Hello \"you\" ☃", new string('a', 64))], "a description");
        var (read, problems) = TapestryReader.Check(written.ToJson());
        Assert.Empty(problems);
        Assert.Equal(written with { Portals = [], Entries = [] }, read! with { Portals = [], Entries = [] });
        Assert.Equal(written.Portals, read.Portals);
        Assert.Equal(written.Entries, read.Entries);
    }

    [Fact]
    public void Optional_lists_default_to_empty()
    {
        var (tapestry, problems) = Check(Valid);
        Assert.Empty(problems);
        Assert.Empty(tapestry!.Portals);
        Assert.Empty(tapestry.Entries);
        Assert.Equal("signal", tapestry.Signal.Path);
    }

    [Fact]
    public void Every_problem_is_reported_with_where_it_is()
    {
        var (tapestry, problems) = Check("""
            {"tapestry":1,"name":"-bad","owner":"xyz","created":"2026-13-45T99:00:00Z","signal":{"name":"s","path":"a/../b"},
             "entries":[{"path":"x","kind":"video"},{"path":"x","kind":"page"}],"portals":[{"name":"P","path":"p"},{"name":"p","path":"q"}]}
            """);
        Assert.Null(tapestry);
        Assert.Contains(problems, p => p.StartsWith("$.name: '-bad' is not a name"));
        Assert.Contains(problems, p => p.StartsWith("$.owner: 'xyz' is not a QuantumId"));
        Assert.Contains(problems, p => p.StartsWith("$.created: '2026-13-45T99:00:00Z' is not an RFC 3339"));
        Assert.Contains("$.signal.path: 'a/../b' is not a relative path inside the project (the path has a '..' segment)", problems);
        Assert.Contains(problems, p => p.StartsWith("$.entries[0].kind: 'video' must be one of page, text, data, asset, state"));
        Assert.Contains("$.entries[1].path: 'x' is listed twice", problems);
        Assert.Contains(problems, p => p.StartsWith("$.portals[1].name: 'p' names another portal too"));
        Assert.Equal(7, problems.Count);
    }

    [Fact]
    public void A_newer_version_says_so()
    {
        var (_, problems) = Check(Valid.Replace("\"tapestry\":1", "\"tapestry\":2"));
        Assert.Equal(["$.tapestry: is version 2, written by a newer Dreamwell; this one reads version 1"], problems);
    }

    [Fact]
    public void Missing_required_fields_and_typos_are_named()
    {
        var (_, problems) = Check("""{"name":"hello","ownr":"0123456789abcdef","signal":"signal"}""");
        Assert.Contains("$: 'tapestry' is required (the schema version, 1)", problems);
        Assert.Contains("$: 'owner' is required", problems);
        Assert.Contains("$: 'created' is required", problems);
        Assert.Contains(problems, p => p.StartsWith("$: 'ownr' is not a tapestry property here"));
        Assert.Contains("$.signal: must be an object, not a string", problems);
    }

    [Fact]
    public void Duplicate_properties_are_refused_though_json_allows_them()
    {
        var (_, problems) = Check(Valid.Replace("\"name\":\"hello\",", "\"name\":\"hello\",\"name\":\"other\","));
        Assert.Equal(["$: has 'name' twice"], problems);
    }

    [Fact]
    public void Extensions_are_kept_out_of_the_way()
    {
        var (tapestry, problems) = Check(Valid.Replace("{\"tapestry\":1,", "{\"tapestry\":1,\"x-editor\":{\"theme\":\"dark\"},"));
        Assert.Empty(problems);
        Assert.NotNull(tapestry);
    }

    [Theory]
    [InlineData("", "$: not JSON")]
    [InlineData("{\"tapestry\":1,", "$: not JSON")]
    [InlineData("\"just a string\"", "$: must be an object, not a string")]
    [InlineData("null", "$: must be an object, not null")]
    public void Not_a_tapestry_at_all(string json, string expected)
    {
        var (tapestry, problems) = Check(json);
        Assert.Null(tapestry);
        Assert.StartsWith(expected, Assert.Single(problems));
    }

    [Fact]
    public void Depth_and_size_are_bounded()
    {
        var deep = Valid.Replace("{\"tapestry\":1,", "{\"tapestry\":1,\"x-deep\":" + new string('[', 40) + new string(']', 40) + ",");
        Assert.StartsWith("$: not JSON", Assert.Single(Check(deep).Problems));

        var many = "[" + string.Join(",", Enumerable.Repeat("""{"path":"a","kind":"page"}""", TapestryReader.MaxEntries + 1)) + "]";
        Assert.Equal([$"$.entries: has {TapestryReader.MaxEntries + 1} items; at most {TapestryReader.MaxEntries}"], Check(Valid[..^1] + ",\"entries\":" + many + "}").Problems);

        using var temp = new TempHome();
        File.WriteAllText(Path.Combine(temp.Scratch, Tapestry.FileName), Valid[..^1] + ",\"x-pad\":\"" + new string('p', TapestryReader.MaxBytes) + "\"}");
        Assert.Equal(ProjectErrors.TapestryTooLarge, Assert.Throws<DreamFormatException>(() => TapestryReader.Read(temp.Scratch)).ErrorId);
    }

    [Fact]
    public void Control_characters_from_the_file_are_not_echoed()
    {
        var (_, problems) = Check(Valid.Replace("\"name\":\"hello\"", "\"name\":\"he\\u001b[31mllo\""));
        Assert.Contains("$.name: 'he?[31mllo' is not a name", Assert.Single(problems));
    }

    [Fact]
    public void Read_names_the_file_and_lists_the_problems()
    {
        using var temp = new TempHome();
        Assert.Equal(ProjectErrors.NotFound, Assert.Throws<DreamException>(() => TapestryReader.Read(temp.Scratch)).ErrorId);
        File.WriteAllText(Path.Combine(temp.Scratch, Tapestry.FileName), Valid.Replace("\"signal\"}", "\"../signal\"}"));
        var error = Assert.Throws<DreamFormatException>(() => TapestryReader.Read(temp.Scratch));
        Assert.Equal(ProjectErrors.TapestryInvalid, error.ErrorId);
        Assert.Contains(Tapestry.FileName, error.Message);
        Assert.Contains("$.signal.path: '../signal' is not a relative path", error.Message);
    }
}
