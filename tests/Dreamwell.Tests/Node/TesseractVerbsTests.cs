using Dreamwell.Host;

namespace Dreamwell.Tests.Node;

public sealed class TesseractVerbsTests
{
    [Fact]
    public void StartRunsTheNodeInTheForegroundWithQuotedValues()
    {
        var script = TesseractVerbs.ToScript(["tesseract", "start", "--name", "it's me; rm -rf /", "--control-port", "7001", "--peer-port=7002"])!;
        Assert.StartsWith("$tesseract = Start-Tesseract -Name 'it''s me; rm -rf /' -ControlPort 7001 -PeerPort 7002 -ErrorAction Stop;", script);
        Assert.Contains("Receive-Job -Wait", script);
        Assert.Contains("finally { $tesseract | Stop-Job", script);
    }

    [Theory]
    [InlineData("stop", "Stop-Tesseract")]
    [InlineData("status", "Get-TesseractStatus")]
    [InlineData("peers", "Get-TesseractPeer")]
    public void SimpleVerbsMapToCmdlets(string verb, string expected) =>
        Assert.Equal(expected, TesseractVerbs.ToScript(["tesseract", verb]));

    [Fact]
    public void ConnectQuotesTheAddress() =>
        Assert.Equal("Connect-Tesseract -Peer '127.0.0.1:9618'", TesseractVerbs.ToScript(["tesseract", "connect", "127.0.0.1:9618"]));

    [Theory]
    [InlineData("--control-port", "99999")]
    [InlineData("--peer-port", "$(evil)")]
    [InlineData("--colour", "blue")]
    [InlineData("--heartbeat-ms", "1")]
    public void BadOptionsAreRefused(string flag, string value) =>
        Assert.Throws<ArgumentException>(() => TesseractVerbs.ToScript(["tesseract", "start", flag, value]));

    [Fact]
    public void OtherCommandsAreNotTesseractCommands()
    {
        Assert.Null(TesseractVerbs.ToScript(["tesseract"]));
        Assert.Null(TesseractVerbs.ToScript(["tesseract", "dance"]));
    }
}
