using Dreamwell.Content;
using Dreamwell.Identity;
using Dreamwell.Node;
using Dreamwell.Tests.Support;

namespace Dreamwell.Tests.Node;

/// <summary>Send-DreamFile and remote Get-DreamContent in an in-process shell whose node links to a second node.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class TransferCmdletTests
{
    private static string Quote(string path) => Dreamwell.Host.PowerShellLiteral.Quote(path);

    [Fact]
    public async Task SendDreamFileAndGetDreamContentReachAConnectedPeer()
    {
        await using var bob = TestNode.Start("bob");
        using var temp = new TempHome();
        string alice;
        using (var signer = IdentityAccess.OpenOrCreateSigner(temp.Home, out _)) alice = signer.Identity.QuantumId;
        bob.Node.Friends.Add(alice, "alice", null);
        var published = TransferSupport.RandomFile(bob.Temp, "shared.bin", 200_000, 7);
        using (var store = ContentStore.Open(bob.Home)) store.Publish(published, "docs/shared.bin");
        var outgoing = TransferSupport.RandomFile(temp, "outgoing.bin", 3 * 1024 * 1024, 8);

        var result = InProcessShell.Run(temp.Home, $$"""
            $job = Start-Tesseract -Name alice -ControlPort 0 -PeerPort 0 -HeartbeatInterval 00:00:00.1
            try {
                $null = Connect-Tesseract -Peer '{{bob.PeerAddress}}'
                Send-DreamFile -Path {{Quote(outgoing)}} -Target bob
                Get-DreamContent 'qttps://bob/docs/shared.bin' -Destination {{Quote(temp.File("fetched.bin"))}}
                ,(Get-DreamContent 'qttps:φ//{{bob.Node.QuantumId}}/docs/shared.bin' -AsBytes)
                Send-DreamFile -Path {{Quote(outgoing)}} -Target nobody
                Get-DreamContent 'qttps://bob/docs/missing.bin' -Destination {{Quote(temp.File("missing.bin"))}}
            } finally { $job | Stop-Job; $job | Remove-Job -Force }
            """);

        Assert.Equal(3, result.Output.Count);
        var sent = Assert.IsType<FileTransferResult>(result.Output[0].BaseObject);
        Assert.Equal(Blake3Hash.ToHex(Blake3Hash.ComputeFile(outgoing)), sent.ContentHash);
        Assert.Equal(File.ReadAllBytes(outgoing), File.ReadAllBytes(TransferSupport.InboxFile(bob, "outgoing.bin")));
        var fetched = Assert.IsType<DreamReceipt>(result.Output[1].BaseObject);
        Assert.Equal("Content.Fetch", fetched.Operation);
        Assert.Equal(File.ReadAllBytes(published), File.ReadAllBytes(temp.File("fetched.bin")));
        Assert.Equal(File.ReadAllBytes(published), Assert.IsType<byte[]>(result.Output[2].BaseObject));
        Assert.Collection(result.Errors,
            e => Assert.StartsWith(TransferErrors.PeerNotConnected + ",", e.FullyQualifiedErrorId),
            e => Assert.StartsWith(TransferErrors.ContentNotFound + ",", e.FullyQualifiedErrorId));
    }

    [Fact]
    public void WithoutARunningNodeRemoteCmdletsSayNotRunning()
    {
        using var temp = new TempHome();
        File.WriteAllText(temp.File("a.txt"), "a");
        var result = InProcessShell.Run(temp.Home, $"Send-DreamFile {Quote(temp.File("a.txt"))} -Target bob; Get-DreamContent 'qttps://bob/x.txt'");
        Assert.Empty(result.Output);
        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.StartsWith(TesseractErrors.NotRunning + ",", e.FullyQualifiedErrorId));
    }
}
