using Dreamwell.Host;

namespace Dreamwell.Tests.Projects;

public sealed class UpVerbsTests
{
    [Fact]
    public void Up_verbs_become_cmdlets_with_everything_quoted()
    {
        Assert.Equal("New-DreamProject -Name 'hello'", UpVerbs.ToScript(["up", "init", "--name", "hello"]));
        Assert.Equal("New-DreamProject -Name 'x''; rm -rf /' -Path '~/it''s here' -Force",
            UpVerbs.ToScript(["up", "init", "--name=x'; rm -rf /", "--path", "~/it's here", "--force"]));
        Assert.Equal("New-DreamProject -HelloUniverse", UpVerbs.ToScript(["up", "--hello-universe"]));
        Assert.Equal("New-DreamProject -HelloUniverse -Path '$HOME'", UpVerbs.ToScript(["up", "--hello-universe", "--path", "$HOME"]));
        Assert.Equal("New-DreamProject -HelloUniverse -Name 'demo'", UpVerbs.ToScript(["up", "init", "--hello-universe", "--name", "demo"]));
        Assert.Equal("$v = Test-DreamProject -Path 'hello'; $v; if (-not $v.IsValid) { exit 1 }", UpVerbs.ToScript(["up", "check", "hello"]));
        Assert.Equal("$v = Test-DreamProject; $v; if (-not $v.IsValid) { exit 1 }", UpVerbs.ToScript(["up", "check"]));
        Assert.Null(UpVerbs.ToScript(["up", "dance"]));
        Assert.Null(UpVerbs.ToScript(["up"]));
    }

    [Fact]
    public void Bad_arguments_say_what_is_wrong()
    {
        Assert.Contains("needs --name", Assert.Throws<ArgumentException>(() => UpVerbs.ToScript(["up", "init"])).Message);
        Assert.Contains("give the name with --name", Assert.Throws<ArgumentException>(() => UpVerbs.ToScript(["up", "init", "hello"])).Message);
        Assert.Contains("--name needs a value", Assert.Throws<ArgumentException>(() => UpVerbs.ToScript(["up", "init", "--name"])).Message);
        Assert.Contains("Unknown option '--colour'", Assert.Throws<ArgumentException>(() => UpVerbs.ToScript(["up", "--hello-universe", "--colour"])).Message);
        Assert.Contains("at most one project folder", Assert.Throws<ArgumentException>(() => UpVerbs.ToScript(["up", "check", "a", "b"])).Message);
    }
}
