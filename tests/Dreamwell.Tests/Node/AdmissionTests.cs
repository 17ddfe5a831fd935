using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Dreamwell.Identity;
using Dreamwell.Node;
using Dreamwell.Node.Admission;
using Dreamwell.Node.Secure;

namespace Dreamwell.Tests.Node;

/// <summary>The adaptive client puzzle and friends' resumption tickets (docs/protocol.md, "Admission under load").</summary>
public sealed class AdmissionTests
{
    private static TesseractOptions AlwaysUnderLoad(TesseractOptions o) => o with { Load = new LoadOptions { PuzzleThreshold = 0, PuzzleBaseBits = 8, PuzzleBitsPerDoubling = 1 } };

    [Fact]
    public void APuzzleSolutionVerifiesAtItsDifficultyAndAnotherNonceDoesNot()
    {
        // Fixed inputs keep the test deterministic.
        var challenge = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var message1 = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();
        var otherMessage1 = Enumerable.Range(200, 32).Select(i => (byte)i).ToArray();
        var nonce = ClientPuzzle.Solve(challenge, message1, 10, CancellationToken.None);
        Assert.True(ClientPuzzle.Verify(challenge, message1, nonce, 10));
        Assert.False(ClientPuzzle.Verify(challenge, otherMessage1, nonce, 10), "a solution is bound to its message 1");
        Assert.False(ClientPuzzle.Verify(message1, message1, nonce, 10), "and to its challenge");
        Assert.Equal(0, ClientPuzzle.LeadingZeroBits([0x80]));
        Assert.Equal(15, ClientPuzzle.LeadingZeroBits([0, 1, 0xff]));
    }

    [Fact]
    public void AChallengeIsShorterThanAnyNoiseMessage2SoADialerCannotMistakeOneForTheOther()
    {
        var frame = AdmissionFrames.EncodeChallenge(new AdmissionChallenge(14, true, RandomNumberGenerator.GetBytes(32)));
        Assert.Equal(40, frame.Length);
        Assert.True(AdmissionFrames.IsChallenge(frame));
        Assert.Equal(14, AdmissionFrames.DecodeChallenge(frame).Bits);
        for (var i = 0; i < 1000; i++) Assert.False(AdmissionFrames.IsChallenge(RandomNumberGenerator.GetBytes(96 + i)));
    }

    [Fact]
    public async Task WithoutLoadTheResponderAnswersMessage1WithNoiseMessage2AsLibp2pDoes()
    {
        await using var bob = TestNode.Start("bob");
        using var tcp = await SendMessage1Async(bob);
        var reply = await FrameIo.ReadAsync(tcp.GetStream(), CancellationToken.None).WaitAsync(TestNode.Bound);
        Assert.NotNull(reply);
        Assert.True(reply!.Length >= 96, $"message 2 is {reply.Length} bytes");
        Assert.False(AdmissionFrames.IsChallenge(reply));
        Assert.Equal(0, bob.Node.LoadStatus().ChallengesSent);
    }

    [Fact]
    public async Task UnderLoadTheResponderAnswersMessage1WithAChallengeAndOurDialerSolvesIt()
    {
        await using var bob = TestNode.Start("bob", configure: AlwaysUnderLoad);
        await using var alice = TestNode.Start("alice");
        using (var tcp = await SendMessage1Async(bob))
        {
            var reply = await FrameIo.ReadAsync(tcp.GetStream(), CancellationToken.None).WaitAsync(TestNode.Bound);
            Assert.True(AdmissionFrames.IsChallenge(reply!));
            Assert.Equal(8, AdmissionFrames.DecodeChallenge(reply!).Bits);
        }

        var peer = await alice.Node.ConnectAsync(bob.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound);
        Assert.Equal("bob", peer.Label);
        Assert.Equal(1, bob.Node.LoadStatus().PuzzlesSolved);
    }

    [Fact]
    public async Task AWrongOrMalformedAnswerIsRefusedAndTheNodeStaysUp()
    {
        await using var bob = TestNode.Start("bob", configure: AlwaysUnderLoad);
        var random = new Random(5);
        for (var i = 0; i < 60; i++)
        {
            var message1 = RandomNumberGenerator.GetBytes(32);
            using var tcp = await SendMessage1Async(bob, message1);
            var stream = tcp.GetStream();
            var challenge = AdmissionFrames.DecodeChallenge((await FrameIo.ReadAsync(stream, CancellationToken.None).WaitAsync(TestNode.Bound))!);
            var answer = (i % 3) switch
            {
                0 => AdmissionFrames.EncodeSolution(WrongNonce(challenge, message1)),
                1 => RandomFrame(random),
                _ => Mutate(random, AdmissionFrames.EncodeTicketProof(RandomNumberGenerator.GetBytes(24), RandomNumberGenerator.GetBytes(32))),
            };
            await FrameIo.WriteAsync(stream, answer, CancellationToken.None);
            if (i % 3 == 2)
            {
                // A ticket the node does not know earns one more challenge, which asks for the puzzle; we walk away.
                var again = await FrameIo.ReadAsync(stream, CancellationToken.None).WaitAsync(TestNode.Bound);
                Assert.False(AdmissionFrames.DecodeChallenge(again!).TicketAccepted);
                tcp.Client.Shutdown(SocketShutdown.Send);
            }
            await ReadUntilClosedAsync(stream);
        }
        await Poll.UntilAsync(() => bob.Node.LoadStatus().AdmissionFailures == 60, "the refusals to be counted");
        Assert.Equal(0, bob.Node.LoadStatus().PuzzlesSolved);

        await using var alice = TestNode.Start("alice");
        await alice.Node.ConnectAsync(bob.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound);
    }

    [Fact]
    public async Task AFriendWithARecentSessionPresentsItsTicketInsteadOfSolvingThePuzzle()
    {
        await using var bob = TestNode.Start("bob", configure: AlwaysUnderLoad);
        await using var alice = TestNode.Start("alice");
        bob.Node.Friends.Add(alice.Node.QuantumId, "alice", null);

        await alice.Node.ConnectAsync(bob.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound);
        await Poll.UntilAsync(() => alice.Node.Load.TicketFor(bob.PeerAddress) is not null, "bob's ticket to reach alice");
        await alice.Node.FindLink(bob.Node.QuantumId)!.DisconnectAsync("test: reconnect");
        await Poll.UntilAsync(() => bob.PeerNamed("alice")?.State == PeerStates.Closed, "bob to see the link close");

        await alice.Node.ConnectAsync(bob.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound);
        var status = bob.Node.LoadStatus();
        Assert.Equal(1, status.PuzzlesSolved);
        Assert.Equal(1, status.TicketsAccepted);
    }

    [Fact]
    public async Task AStrangerIsGivenNoTicketAndAForgedTicketEarnsThePuzzleInstead()
    {
        await using var bob = TestNode.Start("bob", configure: AlwaysUnderLoad);
        await using var carol = TestNode.Start("carol");
        await carol.Node.ConnectAsync(bob.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound);
        await Poll.UntilAsync(() => carol.PeerNamed("bob")?.Heartbeats > 2, "a few heartbeats");
        Assert.Null(carol.Node.Load.TicketFor(bob.PeerAddress));

        using var key = IdentityKeyPair.Generate();
        var forged = new AdmissionTicket(RandomNumberGenerator.GetBytes(24), RandomNumberGenerator.GetBytes(32), DateTimeOffset.UtcNow.AddHours(1));
        using var rogue = await RoguePeer.HandshakeAsync(bob.Node.PeerPort, key, new SecureChannelOptions { AdmissionTicket = forged });
        var status = bob.Node.LoadStatus();
        Assert.Equal(2, status.PuzzlesSolved);
        Assert.Equal(0, status.TicketsAccepted);
        Assert.Equal(3, status.ChallengesSent);
    }

    [Fact]
    public async Task ATicketPresentedByAnotherIdentityIsRefusedAsMisuse()
    {
        await using var bob = TestNode.Start("bob", configure: AlwaysUnderLoad);
        await using var alice = TestNode.Start("alice");
        bob.Node.Friends.Add(alice.Node.QuantumId, "alice", null);
        await alice.Node.ConnectAsync(bob.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound);
        await Poll.UntilAsync(() => alice.Node.Load.TicketFor(bob.PeerAddress) is not null, "bob's ticket to reach alice");
        var stolen = alice.Node.Load.TicketFor(bob.PeerAddress)!;

        using var mallory = IdentityKeyPair.Generate();
        try
        {
            using var rogue = await RoguePeer.HandshakeAsync(bob.Node.PeerPort, mallory, new SecureChannelOptions { AdmissionTicket = stolen });
            await rogue.ReadUntilClosedAsync();
        }
        catch (DreamException) { /* bob may close before our handshake call returns */ }
        await Poll.UntilAsync(() => bob.Events.Any(e => e.Kind == "Misbehaved" && e.Message.StartsWith(AdmissionErrors.TicketMisuse)), "bob to report the misuse");
        Assert.Equal(PeerStates.Connected, bob.PeerNamed("alice")!.State);
    }

    private static async Task<TcpClient> SendMessage1Async(TestNode node, byte[]? message1 = null)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, node.Node.PeerPort).WaitAsync(TestNode.Bound);
        await FrameIo.WriteAsync(tcp.GetStream(), message1 ?? RandomNumberGenerator.GetBytes(32), CancellationToken.None);
        return tcp;
    }

    private static async Task ReadUntilClosedAsync(NetworkStream stream)
    {
        var buffer = new byte[256];
        try
        {
            while (await stream.ReadAsync(buffer).AsTask().WaitAsync(TestNode.Bound) > 0) { }
        }
        catch (IOException) { }
    }

    private static ulong WrongNonce(AdmissionChallenge challenge, byte[] message1)
    {
        ulong nonce = 0;
        while (ClientPuzzle.Verify(challenge.Challenge, message1, nonce, challenge.Bits)) nonce++;
        return nonce;
    }

    private static byte[] RandomFrame(Random random)
    {
        var bytes = new byte[random.Next(0, 200)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(Random random, byte[] frame)
    {
        frame[random.Next(8, frame.Length)] ^= (byte)(1 << random.Next(8));
        return frame;
    }
}
