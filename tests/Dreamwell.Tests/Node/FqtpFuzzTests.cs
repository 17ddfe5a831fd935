using System.Net;
using System.Net.Sockets;
using System.Text;
using Dreamwell.Node;
using Dreamwell.Node.Secure;

namespace Dreamwell.Tests.Node;

/// <summary>Random and mutated FQTP messages from authenticated peers: each ends only its own link.</summary>
public sealed class FqtpFuzzTests
{
    private const int Links = 150;

    [Fact]
    public async Task RandomAndMutatedMessagesNeverTakeTheNodeDownAndALegitimatePeerKeepsItsHeartbeats()
    {
        await using var bob = TestNode.Start("bob");
        await using var alice = TestNode.Start("alice");
        await alice.Node.ConnectAsync(bob.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound);

        var random = new Random(1618);
        using var rogueKey = IdentityKeyPair.Generate();
        for (var i = 0; i < Links; i++)
        {
            using var tcp = new TcpClient { NoDelay = true };
            await tcp.ConnectAsync(IPAddress.Loopback, bob.Node.PeerPort).WaitAsync(TestNode.Bound);
            using var link = await SecureChannel.ConnectAsync(tcp.GetStream(), rogueKey).WaitAsync(TestNode.Bound);
            await link.SendAsync(Mutant(random, link, rogueKey, i)).WaitAsync(TestNode.Bound);
            try
            {
                // Whatever bob answers (hello, error) the link must end within the bound or stay usable; never hang the test.
                for (var n = 0; n < 3 && await link.ReceiveAsync().WaitAsync(TestNode.Bound) is not null; n++) { }
            }
            catch (DreamException) { }
            catch (IOException) { }
            catch (TimeoutException) { /* a valid hello keeps the link open: fine */ }
        }

        var before = bob.PeerNamed("alice")!.Heartbeats;
        await Poll.UntilAsync(() => bob.PeerNamed("alice")?.Heartbeats > before + 2, "alice's heartbeats to continue");
        Assert.Equal(PeerStates.Connected, bob.PeerNamed("alice")!.State);
        Assert.Equal("bob", (await TesseractClient.ForHome(bob.Home).StatusAsync().WaitAsync(TestNode.Bound)).Name);
    }

    private static byte[] Mutant(Random random, SecureConnection link, IdentityKeyPair key, int i)
    {
        var qid = Dreamwell.Identity.DreamIdentity.QuantumIdOf(key.PublicKey);
        var hello = FqtpMessages.EncodeHello(m => key.Sign(m), link.HandshakeHash, "rogue", qid, "Agent", 1, new string('b', 64));
        switch (i % 4)
        {
            case 0:
                var noise = new byte[random.Next(0, 2048)];
                random.NextBytes(noise);
                return noise;
            case 1:
                var flipped = (byte[])hello.Clone();
                for (var k = 0; k < 1 + random.Next(4); k++) flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
                return flipped;
            case 2:
                return hello[..random.Next(hello.Length)];
            default:
                var json = Encoding.UTF8.GetString(hello);
                var cut = random.Next(json.Length);
                return Encoding.UTF8.GetBytes(json[..cut] + "{\"type\":[[[[[[[[1]]]]]]]]}" + json[cut..]);
        }
    }
}
