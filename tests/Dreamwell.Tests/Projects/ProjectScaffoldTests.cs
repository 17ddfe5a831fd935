using System.Text.RegularExpressions;
using Dreamwell.Projects;
using Dreamwell.Tests.Support;

namespace Dreamwell.Tests.Projects;

public sealed class ProjectScaffoldTests
{
    private const string Owner = "0123456789abcdef";
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-25T21:46:42Z");

    private static DreamProject Create(TempHome temp, string name = "hello", ProjectTemplate template = ProjectTemplate.Blank, bool force = false) =>
        ProjectScaffold.Create(temp.Scratch, name, Owner, template, force, Now);

    /// <summary>Anything that would make a browser reach out: a scheme, a protocol-relative URL, src/href, CSS url() or @import.</summary>
    internal static void AssertNoExternalReferences(string html) =>
        Assert.DoesNotMatch(new Regex(@"(?i)([a-z][a-z0-9+.-]*:)?//|\bsrc\s*=|\bhref\s*=|url\s*\(|@import|<script|<link|<img|<iframe"), html);

    [Fact]
    public void A_new_project_has_its_page_its_tapestry_and_a_state_folder()
    {
        using var temp = new TempHome();
        var project = Create(temp);
        Assert.Equal(Path.Combine(temp.Scratch, "hello"), project.Path);
        Assert.Equal(["state/", "signal/index.html", Tapestry.FileName], project.Files);
        Assert.Empty(project.Kept);
        Assert.Equal((Owner, Now, "Blank"), (project.QuantumId, project.Created, project.Template));
        Assert.True(Directory.Exists(Path.Combine(project.Path, "state")));
        Assert.Equal(Path.Combine(project.Path, "signal"), project.SignalPath);
        Assert.Equal(["index.html"], Directory.GetFileSystemEntries(project.SignalPath).Select(Path.GetFileName));

        var page = File.ReadAllText(Path.Combine(project.SignalPath, "index.html"));
        Assert.Contains("<h1>hello</h1>", page);
        Assert.Contains("default-src 'none'", page);
        AssertNoExternalReferences(page);

        var tapestry = TapestryReader.Read(project.Path);
        Assert.Equal(("hello", Owner, Now, new TapestrySignal("hello", "signal")), (tapestry.Name, tapestry.Owner, tapestry.Created, tapestry.Signal));
        var entry = Assert.Single(tapestry.Entries);
        Assert.Equal(("signal/index.html", "page"), (entry.Path, entry.Kind));
        Assert.Equal(Blake3Hash.ToHex(Blake3Hash.ComputeFile(Path.Combine(project.SignalPath, "index.html"))), entry.Blake3);
        var verdict = ProjectCheck.Test(project.Path);
        Assert.Equal((project.Path, "hello", true, 0, 0), (verdict.Path, verdict.Name, verdict.IsValid, verdict.Problems.Count, verdict.Changed.Count));
    }

    [Fact]
    public void Hello_universe_shows_the_owner_and_the_files_with_their_hashes()
    {
        using var temp = new TempHome();
        var project = Create(temp, ProjectScaffold.HelloUniverseName, ProjectTemplate.HelloUniverse);
        Assert.Equal(["state/", "signal/hello.txt", "signal/universe.json", "signal/index.html", Tapestry.FileName], project.Files);

        var page = File.ReadAllText(Path.Combine(project.SignalPath, "index.html"));
        AssertNoExternalReferences(page);
        Assert.Contains($"<code>{Owner}</code>", page);
        foreach (var file in new[] { "hello.txt", "universe.json" })
        {
            var hash = Blake3Hash.ToHex(Blake3Hash.ComputeFile(Path.Combine(project.SignalPath, file)));
            Assert.Contains($"<code>signal/{file}</code>", page);
            Assert.Contains($"<code>{hash[..16]}</code>", page);
        }
        Assert.Contains("<code>state/</code>", page);

        var tapestry = TapestryReader.Read(project.Path);
        Assert.Equal(["signal/index.html", "signal/hello.txt", "signal/universe.json"], tapestry.Entries.Select(e => e.Path));
        Assert.Equal(["page", "text", "data"], tapestry.Entries.Select(e => e.Kind));
        Assert.NotNull(tapestry.Description);
        var verdict = ProjectCheck.Test(project.Path);
        Assert.True(verdict.IsValid, string.Join("; ", verdict.Problems));
        Assert.Empty(verdict.Changed);
    }

    [Fact]
    public void A_folder_with_files_is_refused_and_left_alone()
    {
        using var temp = new TempHome();
        var folder = Directory.CreateDirectory(Path.Combine(temp.Scratch, "hello")).FullName;
        File.WriteAllText(Path.Combine(folder, "mine.txt"), "mine");
        var error = Assert.Throws<DreamException>(() => Create(temp));
        Assert.Equal((ProjectErrors.Exists, DreamErrorKind.AlreadyExists), (error.ErrorId, error.Kind));
        Assert.Contains("-Force", error.Message);
        Assert.Equal(["mine.txt"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void An_empty_folder_needs_no_force()
    {
        using var temp = new TempHome();
        Directory.CreateDirectory(Path.Combine(temp.Scratch, "hello"));
        Assert.Contains(Tapestry.FileName, Create(temp).Files);
    }

    [Fact]
    public void Force_adds_what_is_missing_and_never_replaces_or_deletes_a_file()
    {
        using var temp = new TempHome();
        var folder = Directory.CreateDirectory(Path.Combine(temp.Scratch, "hello")).FullName;
        Directory.CreateDirectory(Path.Combine(folder, "signal"));
        File.WriteAllText(Path.Combine(folder, "signal", "index.html"), "<p>my own page</p>");
        File.WriteAllText(Path.Combine(folder, "notes.md"), "keep me");

        var project = Create(temp, force: true);
        Assert.Equal(["state/", Tapestry.FileName], project.Files);
        Assert.Equal(["signal/index.html"], project.Kept);
        Assert.Equal("<p>my own page</p>", File.ReadAllText(Path.Combine(folder, "signal", "index.html")));
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(folder, "notes.md")));
        // The tapestry records the page that is there, so the project checks clean.
        Assert.Empty(ProjectCheck.Test(folder).Changed);

        var tapestryBefore = File.ReadAllBytes(Path.Combine(folder, Tapestry.FileName));
        var again = ProjectScaffold.Create(temp.Scratch, "hello", "fedcba9876543210", ProjectTemplate.HelloUniverse, force: true, Now.AddDays(1));
        Assert.Equal(["signal/hello.txt", "signal/universe.json"], again.Files);
        Assert.Equal(["state/", "signal/index.html", Tapestry.FileName], again.Kept);
        Assert.Equal(tapestryBefore, File.ReadAllBytes(Path.Combine(folder, Tapestry.FileName)));
        Assert.Equal((Owner, Now), (again.QuantumId, again.Created));
        Assert.Equal(["hello.txt", "index.html", "universe.json"], Directory.GetFiles(Path.Combine(folder, "signal")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Force_over_a_broken_tapestry_stops_before_writing_anything()
    {
        using var temp = new TempHome();
        var folder = Directory.CreateDirectory(Path.Combine(temp.Scratch, "hello")).FullName;
        File.WriteAllText(Path.Combine(folder, Tapestry.FileName), """{"tapestry":1,"name":"hello"}""");
        var error = Assert.Throws<DreamFormatException>(() => Create(temp, force: true));
        Assert.Equal(ProjectErrors.TapestryInvalid, error.ErrorId);
        Assert.Contains("'owner' is required", error.Message);
        Assert.Equal([Tapestry.FileName], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void A_file_where_a_folder_must_be_is_refused_before_writing()
    {
        using var temp = new TempHome();
        File.WriteAllText(Path.Combine(temp.Scratch, "hello"), "a file");
        Assert.Equal(ProjectErrors.PathBlocked, Assert.Throws<DreamException>(() => Create(temp, force: true)).ErrorId);

        var folder = Directory.CreateDirectory(Path.Combine(temp.Scratch, "other")).FullName;
        File.WriteAllText(Path.Combine(folder, "state"), "a file");
        Assert.Equal(ProjectErrors.PathBlocked, Assert.Throws<DreamException>(() => Create(temp, "other", force: true)).ErrorId);
        Assert.Equal(["state"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("-flag")]
    [InlineData("hello\n")]
    [InlineData("<script>")]
    [InlineData("a-name-that-is-much-longer-than-sixty-four-characters-which-is-the-limit")]
    public void Bad_names_are_refused_with_a_stable_id(string name)
    {
        using var temp = new TempHome();
        var error = Assert.Throws<DreamException>(() => Create(temp, name));
        Assert.Equal((ProjectErrors.InvalidName, DreamErrorKind.InvalidArgument), (error.ErrorId, error.Kind));
        Assert.Empty(Directory.GetFileSystemEntries(temp.Scratch));
    }

    [Fact]
    public void An_owner_that_is_not_a_quantum_id_is_refused()
    {
        using var temp = new TempHome();
        Assert.Equal(ProjectErrors.InvalidOwner,
            Assert.Throws<DreamException>(() => ProjectScaffold.Create(temp.Scratch, "hello", "not-an-id", ProjectTemplate.Blank, false, Now)).ErrorId);
    }

    [Fact]
    public void Check_reports_edits_as_changed_and_missing_files_as_problems()
    {
        using var temp = new TempHome();
        var project = Create(temp, "demo", ProjectTemplate.HelloUniverse);
        File.AppendAllText(Path.Combine(project.SignalPath, "hello.txt"), "an edit\n");
        var edited = ProjectCheck.Test(project.Path);
        Assert.True(edited.IsValid);
        Assert.Equal(["signal/hello.txt"], edited.Changed);

        File.Delete(Path.Combine(project.SignalPath, "universe.json"));
        var broken = ProjectCheck.Test(project.Path);
        Assert.False(broken.IsValid);
        Assert.Equal(["tapestry.json $.entries[2].path: 'signal/universe.json' is not a file in the project"], broken.Problems);
    }

    [Fact]
    public void Check_refuses_an_entry_that_leaves_the_project_through_a_link()
    {
        if (OperatingSystem.IsWindows()) return; // symbolic links need privileges there
        using var temp = new TempHome();
        var project = Create(temp);
        var outside = Path.Combine(temp.Root, "outside.txt");
        File.WriteAllText(outside, "secret");
        File.CreateSymbolicLink(Path.Combine(project.SignalPath, "link.txt"), outside);
        var path = Path.Combine(project.Path, Tapestry.FileName);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"entries\": [", "\"entries\": [\n    { \"path\": \"signal/link.txt\", \"kind\": \"text\" },"));
        var verdict = ProjectCheck.Test(project.Path);
        Assert.False(verdict.IsValid);
        Assert.Contains("symbolic link", Assert.Single(verdict.Problems));
    }

    [Fact]
    public void Check_of_a_folder_without_a_tapestry_is_not_found()
    {
        using var temp = new TempHome();
        Assert.Equal(ProjectErrors.NotFound, Assert.Throws<DreamException>(() => ProjectCheck.Test(temp.Scratch)).ErrorId);
        Assert.Equal(ProjectErrors.NotFound, Assert.Throws<DreamException>(() => ProjectCheck.Test(Path.Combine(temp.Scratch, "nope"))).ErrorId);
    }
}
