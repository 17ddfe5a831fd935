using System.Management.Automation;
using Dreamwell.Node;
using Dreamwell.Tests.Support;

namespace Dreamwell.Tests.Node;

/// <summary>Friends, connecting by label or address, disconnecting, trust and ShardBlade events as a user meets them.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class TrustCmdletTests
{
    private const string BobId = "0123456789abcdef";

    [Fact]
    public void FriendsRoundTripThroughTheFileWithoutANode()
    {
        using var temp = new TempHome();
        var result = InProcessShell.Run(temp.Home, $$"""
            Add-DreamFriend -QuantumId {{BobId}} -Label bob -Address 127.0.0.1:9618, 'localhost:9700'
            Add-DreamFriend -QuantumId fedcba9876543210 -Label carol -WhatIf
            Add-DreamFriend -QuantumId 1111111111111111 -Label dave
            (Get-DreamFriend).Label -join ','
            (Get-DreamFriend -Name b*).QuantumId
            Remove-DreamFriend bob -WhatIf
            (Get-DreamFriend).Count
            Get-DreamFriend dave | Remove-DreamFriend
            Remove-DreamFriend -QuantumId {{BobId}} -PassThru | ForEach-Object Label
            (Get-DreamFriend).Count
            """);
        Assert.Empty(result.Errors);
        var added = Assert.IsType<DreamFriend>(result.Output[0].BaseObject);
        Assert.Equal(BobId, added.QuantumId);
        Assert.Equal(["127.0.0.1:9618", "localhost:9700"], added.Addresses);
        Assert.Equal(["bob,dave", BobId, 2, "bob", 0], result.Output.Skip(2).Select(o => o.BaseObject));
        Assert.Empty(new Friends(temp.Home).All());
    }

    [Fact]
    public void FriendMistakesAreClearErrors()
    {
        using var temp = new TempHome();
        var result = InProcessShell.Run(temp.Home, $$"""
            Add-DreamFriend -QuantumId not-an-id -Label x
            Add-DreamFriend -QuantumId {{BobId}} -Label bob -Address no-port
            Add-DreamFriend -QuantumId {{BobId}} -Label bob
            Add-DreamFriend -QuantumId 1111111111111111 -Label BOB
            Remove-DreamFriend nobody
            """);
        Assert.Equal(["BadQuantumId", TesseractErrors.BadPeerAddress, "FriendLabelInUse", "FriendNotFound"],
            result.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
        Assert.Single(new Friends(temp.Home).All());
    }

    [Fact]
    public async Task ConnectByLabelAndByQttpsAddressThenDisconnectSaysBye()
    {
        await using var bob = TestNode.Start("bob");
        using var temp = new TempHome();
        var result = InProcessShell.Run(temp.Home, $$"""
            $job = Start-Tesseract -Name alice -ControlPort 0 -PeerPort 0 -HeartbeatInterval 00:00:00.1
            try {
                $null = Add-DreamFriend -QuantumId {{bob.Node.QuantumId}} -Label bobby -Address '{{bob.PeerAddress}}'
                Connect-Tesseract -Peer bobby
                Connect-Tesseract -Peer 'qttps:φ//{{bob.Node.QuantumId}}/notes.txt'
                $null = Get-DreamFriend bobby | Connect-Tesseract
                Disconnect-Tesseract -Peer bob -WhatIf
                @(Get-TesseractPeer | Where-Object State -eq Connected).Count
                Get-TesseractPeer bob | Disconnect-Tesseract -Reason 'see you'
                @(Get-TesseractPeer | Where-Object State -eq Connected).Count
                Disconnect-Tesseract -Peer bob
            } finally { $job | Stop-Job; $job | Remove-Job -Force }
            """);
        Assert.Equal(TesseractErrors.PeerNotFound, Assert.Single(result.Errors).FullyQualifiedErrorId.Split(',')[0]);
        var byLabel = Assert.IsType<TesseractPeer>(result.Output[0].BaseObject);
        var byAddress = Assert.IsType<TesseractPeer>(result.Output[1].BaseObject);
        Assert.Equal([bob.Node.QuantumId, bob.Node.QuantumId], new[] { byLabel.QuantumId, byAddress.QuantumId });
        Assert.Equal(bob.Node.Kind, byLabel.Kind);
        Assert.Equal(1, result.Output[2].BaseObject);
        var closed = result.Output.Skip(3).TakeWhile(o => o.BaseObject is TesseractPeer).Select(o => (TesseractPeer)o.BaseObject).ToList();
        Assert.Equal(3, closed.Count);
        Assert.All(closed, p => Assert.Equal(PeerStates.Closed, p.State));
        Assert.Equal(0, result.Output[^1].BaseObject);
        // Bob heard the bye with its reason on every link.
        await Poll.UntilAsync(() => bob.Node.Peers().All(p => p.State == PeerStates.Closed), "bob to see the links close");
        Assert.Contains(bob.Events, e => e.Kind == "LinkClosed" && e.Message.Contains("goodbye: see you"));
    }

    [Fact]
    public async Task ConnectingByAnUnknownQuantumIdSaysNoAddressIsKnown()
    {
        using var temp = new TempHome();
        await using var alice = TestNode.Start("alice", temp);
        var error = await Assert.ThrowsAsync<DreamException>(() => PeerDialer.ConnectAsync(alice.Node, BobId, CancellationToken.None));
        Assert.Equal(TesseractErrors.PeerNotFound, error.ErrorId);
        Assert.Contains("Add-DreamFriend", error.Message);
        Assert.Equal("qttp-less", PeerDialer.Authority("qttps://qttp-less/x"));
        Assert.Equal(BobId, PeerDialer.Resolve(alice.Node, $"qttps:φ//{BobId}").ExpectedQuantumId);
    }

    [Fact]
    public async Task TrustWarmsWithHeartbeatsOnTheNodesClockAndShowsInGetTesseractPeer()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var alice = TestNode.Start("alice", clock: clock);
        await using var bob = TestNode.Start("bob");
        await alice.Node.ConnectAsync(bob.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound);
        Assert.Equal(0d, alice.PeerNamed("bob")!.Trust);
        // A heartbeat heard means the link is up and its clock started (link up touches T without warming it).
        await Poll.UntilAsync(() => alice.PeerNamed("bob")!.Heartbeats >= 1, "the first heartbeat");

        // The first heartbeat alice hears after the clock moved 5 s counts 5 s of heard time: four such moves are 20 s.
        // Reading between heartbeats does not change T (5 s is within the grace), so a rise means the move was heard.
        var readings = new List<double>();
        for (var i = 0; i < 4; i++)
        {
            var before = alice.PeerNamed("bob")!.Trust;
            clock.Now += TrustTemperature.Grace;
            await Poll.UntilAsync(() => alice.PeerNamed("bob")!.Trust > before, "a heartbeat after the clock moved");
            readings.Add(alice.PeerNamed("bob")!.Trust);
        }
        Assert.Equal(readings.Order(), readings);
        Assert.Equal(1 - Math.Pow(2, -20.0 / 120), readings[^1], precision: 3);

        // Twenty minutes of silence on alice's clock: read before the next heartbeat, it has cooled to a quarter.
        await bob.Node.StopAsync().WaitAsync(TestNode.Bound);
        await Poll.UntilAsync(() => alice.PeerNamed("bob")!.State == PeerStates.Closed, "the link to close");
        var warm = alice.PeerNamed("bob")!.Trust;
        clock.Now += TrustTemperature.Grace + TimeSpan.FromMinutes(20);
        Assert.Equal(warm / 4, alice.PeerNamed("bob")!.Trust, precision: 3);
    }

    [Fact]
    public async Task GetShardBladeEventReadsTheChainWithOrWithoutANode()
    {
        using var temp = new TempHome();
        var bob = TestNode.Start("bob", temp);
        string rogueId;
        using (var rogue = await RoguePeer.OpenAsync(bob))
        {
            rogueId = rogue.QuantumId;
            await rogue.SendHelloAsync("rogue", 1, new string('c', 64));
            await rogue.Link.SendAsync("{\"type\":\"teleport\"}"u8.ToArray());
            await rogue.ReceiveAllTextAsync();
        }
        await TrustAssert.AuditedAsync(bob, ShardBladeReasons.ProtocolViolation, rogueId);
        var running = InProcessShell.Run(temp.Home, $"Get-ShardBladeEvent -QuantumId {rogueId}");
        await bob.Node.StopAsync().WaitAsync(TestNode.Bound);

        var stopped = InProcessShell.Run(temp.Home, $"""
            Get-ShardBladeEvent
            @(Get-ShardBladeEvent -QuantumId 0000000000000000).Count
            @(Get-ShardBladeEvent -Since ([datetime]::Now.AddHours(1))).Count
            """);
        Assert.Empty(running.Errors);
        Assert.Empty(stopped.Errors);
        var shown = Assert.IsType<ShardBladeEvent>(Assert.Single(running.Output).BaseObject);
        Assert.Equal(rogueId, shown.QuantumId);
        Assert.Equal(ShardBladeReasons.ProtocolViolation, shown.Reason);
        Assert.Contains("teleport", shown.Message);
        Assert.Equal(shown, stopped.Output[0].BaseObject);
        Assert.Equal([0, 0], stopped.Output.Skip(1).Select(o => o.BaseObject));
    }

    [Fact]
    public async Task GetShardBladeEventRefusesADamagedChain()
    {
        using var temp = new TempHome();
        var bob = TestNode.Start("bob", temp);
        await bob.Node.StopAsync().WaitAsync(TestNode.Bound);
        var bytes = File.ReadAllBytes(temp.Home.ChainFile);
        bytes[^10] ^= 0x40;
        File.WriteAllBytes(temp.Home.ChainFile, bytes);
        var result = InProcessShell.Run(temp.Home, "Get-ShardBladeEvent");
        Assert.Empty(result.Output);
        Assert.StartsWith("ChainBroken", Assert.Single(result.Errors).FullyQualifiedErrorId);
    }
}
