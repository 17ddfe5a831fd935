using Dreamwell.Host;

namespace Dreamwell.Tests.Sync;

public sealed class PortalVerbsTests
{
    [Fact]
    public void Seed_verbs_become_cmdlets_with_everything_quoted()
    {
        Assert.Equal("(New-Portal -Path '~/it''s photos' -Name 'x; rm -rf /').Key", PortalVerbs.ToScript(["portal", "open", "~/it's photos", "--name", "x; rm -rf /"]));
        Assert.Equal("Connect-Portal -Key 'dwp1.abc' -Path 'here'", PortalVerbs.ToScript(["portal", "connect", "dwp1.abc", "here"]));
        Assert.Equal("Get-Portal", PortalVerbs.ToScript(["portal", "ls"]));
        Assert.Equal("Sync-Portal -Name 'photos'", PortalVerbs.ToScript(["portal", "sync", "photos"]));
        Assert.Equal("Remove-Portal -Name 'photos' -Confirm:$false", PortalVerbs.ToScript(["portal", "rm", "photos"]));
        Assert.Null(PortalVerbs.ToScript(["portal", "dance"]));
    }

    [Fact]
    public void Signal_verbs_become_cmdlets_with_everything_quoted()
    {
        Assert.Equal("(New-Signal -Name 'blog' -Path '~/posts').Key", SignalVerbs.ToScript(["signal", "open", "--name", "blog", "~/posts"]));
        Assert.Equal("Join-Signal -Key 'dws1.x' -Path 'copy'", SignalVerbs.ToScript(["signal", "join", "dws1.x", "copy"]));
        Assert.Equal("Publish-Signal -Name 'blog'", SignalVerbs.ToScript(["signal", "publish", "blog"]));
        Assert.Equal("Remove-Signal -Name 'a''b' -Confirm:$false", SignalVerbs.ToScript(["signal", "rm", "a'b"]));
        Assert.Contains("needs --name", Assert.Throws<ArgumentException>(() => SignalVerbs.ToScript(["signal", "open", "~/posts"])).Message);
    }

    [Fact]
    public void Bad_arguments_say_what_is_wrong()
    {
        Assert.Contains("needs one folder", Assert.Throws<ArgumentException>(() => PortalVerbs.ToScript(["portal", "open"])).Message);
        Assert.Contains("Unknown option", Assert.Throws<ArgumentException>(() => PortalVerbs.ToScript(["portal", "ls", "--force"])).Message);
    }
}
