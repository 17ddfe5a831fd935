using Dreamwell.Host;

namespace Dreamwell.Tests.Node.Lifecycle;

public sealed class LifecycleVerbsTests
{
    [Fact]
    public void Discovery_flags_map_to_Start_Tesseract_parameters()
    {
        var script = TesseractVerbs.ToScript(["tesseract", "start", "--discovery-port", "5353", "--discovery-interface", "192.168.1.20"])!;
        Assert.StartsWith("$tesseract = Start-Tesseract -DiscoveryPort 5353 -DiscoveryInterface '192.168.1.20' -ErrorAction Stop;", script);
        Assert.StartsWith("$tesseract = Start-Tesseract -NoDiscovery -ErrorAction Stop;", TesseractVerbs.ToScript(["tesseract", "start", "--no-discovery"]));
    }

    [Theory]
    [InlineData("--discovery-port", "0")]
    [InlineData("--discovery-port", "70000")]
    [InlineData("--discovery-interface", "::1")]
    [InlineData("--discovery-interface", "'; Remove-Item /")]
    public void Bad_discovery_flags_are_refused(string flag, string value) =>
        Assert.Throws<ArgumentException>(() => TesseractVerbs.ToScript(["tesseract", "start", flag, value]));

    [Fact]
    public void Detached_arguments_round_trip_through_the_verb_translator()
    {
        var arguments = Dreamwell.Node.DetachedTesseract.Arguments("it's me", 0, 7002, TimeSpan.FromMilliseconds(250), 9619, null);
        var script = TesseractVerbs.ToScript(["tesseract", "start", .. arguments])!;
        Assert.StartsWith("$tesseract = Start-Tesseract -Name 'it''s me' -ControlPort 0 -PeerPort 7002 -HeartbeatInterval ([timespan]::FromMilliseconds(250)) -DiscoveryPort 9619 -ErrorAction Stop;", script);
    }
}
