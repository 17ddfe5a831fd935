using System.Management.Automation;
using Dreamwell.Identity;
using Dreamwell.Projects;
using Dreamwell.Tests.Support;

namespace Dreamwell.Tests.Projects;

[Collection(EnvironmentCollection.Name)]
public sealed class ProjectCmdletTests
{
    private static string Quoted(string path) => "'" + path.Replace("'", "''") + "'";

    [Fact]
    public void New_project_returns_a_typed_project_owned_by_the_home_identity()
    {
        using var temp = new TempHome();
        var result = InProcessShell.Run(temp.Home, $"New-DreamProject -Name hello -Path {Quoted(temp.Scratch)}");
        Assert.Empty(result.Errors);
        var project = Assert.IsType<DreamProject>(Assert.Single(result.Output).BaseObject);
        Assert.Equal(("hello", Path.Combine(temp.Scratch, "hello")), (project.Name, project.Path));
        Assert.Equal(IdentityStore.Load(temp.Home).QuantumId, project.QuantumId);
        Assert.Equal(["state/", "signal/index.html", Tapestry.FileName], project.Files);
    }

    [Fact]
    public void Hello_universe_defaults_its_name_and_lands_in_the_current_location()
    {
        using var temp = new TempHome();
        var result = InProcessShell.Run(temp.Home, $"New-DreamIdentity -Name ada | Out-Null; Set-Location -LiteralPath {Quoted(temp.Scratch)}; New-DreamProject -HelloUniverse");
        Assert.Empty(result.Errors);
        var project = Assert.IsType<DreamProject>(Assert.Single(result.Output).BaseObject);
        Assert.Equal((ProjectScaffold.HelloUniverseName, Path.Combine(temp.Scratch, "hello-universe"), "HelloUniverse"), (project.Name, project.Path, project.Template));
        Assert.Contains(IdentityStore.Load(temp.Home).QuantumId, File.ReadAllText(Path.Combine(project.SignalPath, "index.html")));
    }

    [Fact]
    public void WhatIf_creates_no_folder_and_no_identity()
    {
        using var temp = new TempHome();
        var result = InProcessShell.Run(temp.Home, $"New-DreamProject hello {Quoted(temp.Scratch)} -WhatIf");
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Scratch));
        Assert.False(File.Exists(temp.Home.IdentityFile));
    }

    [Fact]
    public void Errors_carry_stable_ids_and_categories()
    {
        using var temp = new TempHome();
        var result = InProcessShell.Run(temp.Home, $"""
            New-DreamProject hello {Quoted(temp.Scratch)} | Out-Null
            New-DreamProject hello {Quoted(temp.Scratch)}
            New-DreamProject '../up' {Quoted(temp.Scratch)}
            Test-DreamProject {Quoted(temp.Scratch)}
            """);
        Assert.Empty(result.Output);
        Assert.Equal(
            ["ProjectExists,Dreamwell.Cmdlets.NewDreamProjectCommand", "InvalidProjectName,Dreamwell.Cmdlets.NewDreamProjectCommand", "ProjectNotFound,Dreamwell.Cmdlets.TestDreamProjectCommand"],
            result.Errors.Select(e => e.FullyQualifiedErrorId));
        Assert.Equal([ErrorCategory.ResourceExists, ErrorCategory.InvalidArgument, ErrorCategory.ObjectNotFound], result.Errors.Select(e => e.CategoryInfo.Category));
    }

    [Fact]
    public void Force_keeps_the_users_files_and_says_which()
    {
        using var temp = new TempHome();
        var folder = Directory.CreateDirectory(Path.Combine(temp.Scratch, "hello")).FullName;
        File.WriteAllText(Path.Combine(folder, "mine.txt"), "mine");
        var result = InProcessShell.Run(temp.Home, $"New-DreamProject hello {Quoted(temp.Scratch)} -Force");
        Assert.Empty(result.Errors);
        Assert.Contains(Tapestry.FileName, Assert.IsType<DreamProject>(Assert.Single(result.Output).BaseObject).Files);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(folder, "mine.txt")));
    }

    [Fact]
    public void A_new_project_pipes_into_Test_DreamProject()
    {
        using var temp = new TempHome();
        var result = InProcessShell.Run(temp.Home, $"New-DreamProject -HelloUniverse -Path {Quoted(temp.Scratch)} | Test-DreamProject");
        Assert.Empty(result.Errors);
        var verdict = Assert.IsType<ProjectVerdict>(Assert.Single(result.Output).BaseObject);
        Assert.True(verdict.IsValid, string.Join("; ", verdict.Problems));
        Assert.Equal(ProjectScaffold.HelloUniverseName, verdict.Name);
    }
}
