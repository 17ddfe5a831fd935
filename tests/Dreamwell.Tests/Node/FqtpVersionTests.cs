using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Dreamwell.Identity;
using Dreamwell.Node;
using Dreamwell.Node.Secure;

namespace Dreamwell.Tests.Node;

/// <summary>Version negotiation in the FQTP hello: the highest common version, and a clear refusal when there is none.</summary>
public sealed class FqtpVersionTests
{
    private static readonly byte[] Session = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();

    [Theory]
    [InlineData("1", "1", 1)]
    [InlineData("1,2", "1", 1)]
    [InlineData("1,2,3", "2,3,5", 3)]
    [InlineData("4,1", "1,4", 4)]
    public void BothSidesPickTheHighestCommonVersion(string ours, string theirs, int agreed)
    {
        Assert.Equal(agreed, FqtpVersions.Negotiate(List(ours), List(theirs)));
        Assert.Equal(agreed, FqtpVersions.Negotiate(List(theirs), List(ours)));
    }

    [Fact]
    public void NoCommonVersionIsRefusedWithBothListsInTheMessage()
    {
        var error = Assert.Throws<DreamException>(() => FqtpVersions.Negotiate([1], [2, 3]));
        Assert.Equal(TesseractErrors.UnsupportedVersion, error.ErrorId);
        Assert.Equal("No common FQTP version: the peer speaks 2, 3; this node speaks 1. Update the older side.", error.Message);
    }

    [Fact]
    public void AHelloListingANewerVersionBesideOursIsAcceptedAtOurs()
    {
        using var key = IdentityKeyPair.Generate();
        var hello = Read(FqtpMessages.EncodeHello(m => key.Sign(m), Session, "future", Qid(key), "Human", 3, new string('a', 64), versions: [1, 7]), key);
        Assert.Equal(1, hello.Version);
        Assert.Equal([1, 7], hello.Versions);
    }

    [Fact]
    public void AHelloWithNoVersionInCommonIsRefused()
    {
        using var key = IdentityKeyPair.Generate();
        var message = FqtpMessages.EncodeHello(m => key.Sign(m), Session, "future", Qid(key), "Human", 3, new string('a', 64), versions: [2, 3]);
        var error = Assert.Throws<DreamException>(() => Read(message, key));
        Assert.Equal(TesseractErrors.UnsupportedVersion, error.ErrorId);
        Assert.Contains("the peer speaks 2, 3; this node speaks 1", error.Message);
    }

    [Fact]
    public void AHelloFromBeforeNegotiationWithOnlyVersionOneIsStillAccepted()
    {
        using var key = IdentityKeyPair.Generate();
        var qid = Qid(key);
        string[] fields = ["1", "old", qid, "Human", "3", new string('a', 64)];
        var signature = Convert.ToBase64String(key.Sign(FqtpMessages.SignedBytes(FqtpMessages.HelloDomain, Session, fields)));
        var legacy = JsonSerializer.SerializeToUtf8Bytes(new { type = "hello", version = 1, name = "old", quantumId = qid, kind = "Human", chainLength = 3, headHash = new string('a', 64), signature });
        var hello = Read(legacy, key);
        Assert.Equal(1, hello.Version);
        Assert.Equal("old", hello.Name);
    }

    [Fact]
    public void ANodeFromBeforeNegotiationCanStillVerifyANewHello()
    {
        using var key = IdentityKeyPair.Generate();
        var qid = Qid(key);
        var body = FqtpMessages.Parse(FqtpMessages.EncodeHello(m => key.Sign(m), Session, "new", qid, "Human", 3, new string('a', 64))).Body;
        Assert.Equal(1, body.GetProperty("version").GetInt32());
        string[] legacyFields = ["1", "new", qid, "Human", "3", new string('a', 64)];
        var signature = Convert.FromBase64String(body.GetProperty("signature").GetString()!);
        Assert.True(IdentitySigner.Verify(key.PublicKey, FqtpMessages.SignedBytes(FqtpMessages.HelloDomain, Session, legacyFields), signature));
    }

    [Fact]
    public void AVersionListWithoutItsExtensionSignatureIsRefused()
    {
        using var key = IdentityKeyPair.Generate();
        var json = Encoding.UTF8.GetString(FqtpMessages.EncodeHello(m => key.Sign(m), Session, "n", Qid(key), "Human", 0, new string('0', 64)));
        var stripped = System.Text.RegularExpressions.Regex.Replace(json, ",\"extensionSignature\":\"[^\"]*\"", "");
        Assert.Equal(TesseractErrors.ProtocolViolation, Assert.Throws<DreamException>(() => Read(Encoding.UTF8.GetBytes(stripped), key)).ErrorId);
    }

    [Fact]
    public void TheVersionListIsSigned()
    {
        using var key = IdentityKeyPair.Generate();
        var json = Encoding.UTF8.GetString(FqtpMessages.EncodeHello(m => key.Sign(m), Session, "n", Qid(key), "Human", 0, new string('0', 64), versions: [1, 2]));
        var error = Assert.Throws<DreamException>(() => Read(Encoding.UTF8.GetBytes(json.Replace("\"versions\":[1,2]", "\"versions\":[2,1]")), key));
        Assert.Equal(TesseractErrors.BadSignature, error.ErrorId);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[0]")]
    [InlineData("[\"1\"]")]
    [InlineData("[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]")]
    [InlineData("1")]
    public void AMalformedVersionListIsAProtocolViolation(string versions)
    {
        using var key = IdentityKeyPair.Generate();
        var json = Encoding.UTF8.GetString(FqtpMessages.EncodeHello(m => key.Sign(m), Session, "n", Qid(key), "Human", 0, new string('0', 64)));
        var error = Assert.Throws<DreamException>(() => Read(Encoding.UTF8.GetBytes(json.Replace("\"versions\":[1]", $"\"versions\":{versions}")), key));
        Assert.Equal(TesseractErrors.ProtocolViolation, error.ErrorId);
    }

    [Fact]
    public async Task ANodeAnswersAHelloWithNoCommonVersionWithFqtpUnsupportedVersion()
    {
        await using var bob = TestNode.Start("bob");
        using var key = IdentityKeyPair.Generate();
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, bob.Node.PeerPort).WaitAsync(TestNode.Bound);
        using var link = await SecureChannel.ConnectAsync(tcp.GetStream(), key).WaitAsync(TestNode.Bound);
        await link.SendAsync(FqtpMessages.EncodeHello(m => key.Sign(m), link.HandshakeHash, "future", Qid(key), "Human", 0, new string('0', 64), versions: [9]));
        var answer = Encoding.UTF8.GetString((await link.ReceiveAsync().WaitAsync(TestNode.Bound))!);
        Assert.Contains("\"type\":\"error\"", answer);
        Assert.Contains(TesseractErrors.UnsupportedVersion, answer);
        Assert.Contains("the peer speaks 9; this node speaks 1", answer);
    }

    private static FqtpHello Read(byte[] message, IdentityKeyPair key) => FqtpMessages.ReadHello(FqtpMessages.Parse(message).Body, key.PublicKey, Session);

    private static string Qid(IdentityKeyPair key) => DreamIdentity.QuantumIdOf(key.PublicKey);

    private static int[] List(string csv) => csv.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
}
