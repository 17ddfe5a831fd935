using Dreamwell.Tests.Support;
using System.Text.Json;
using Dreamwell.Node.Noise;
using Dreamwell.Tests.Formats;
using Xunit.Abstractions;

namespace Dreamwell.Tests.Noise;

/// <summary>The cacophony vectors: every handshake and transport ciphertext and the handshake hash, byte for byte.</summary>
public sealed class NoiseVectorTests(ITestOutputHelper output)
{
    private const string VectorFile = "noise-test-vectors.json";

    [SharedDataFact(VectorFile)]
    public void EverySupportedVectorReproducesEveryCiphertextAndTheHandshakeHash()
    {
        var root = JsonDocument.Parse(File.ReadAllText(SharedData.FilePath(VectorFile)!)).RootElement;
        int ran = 0, skipped = 0, messages = 0;
        foreach (var vector in root.GetProperty("vectors").EnumerateArray())
        {
            var name = vector.GetProperty("protocol_name").GetString()!;
            if (name.EndsWith("_BLAKE2s", StringComparison.Ordinal))
            {
                // NSec offers BLAKE2b but not BLAKE2s, and we write no hash functions of our own.
                skipped++;
                output.WriteLine($"skip {name}: BLAKE2s is not offered by NSec");
                continue;
            }
            messages += Run(name, vector);
            ran++;
            output.WriteLine($"pass {name}");
        }
        output.WriteLine($"{ran} vectors passed ({messages} messages), {skipped} skipped");
        Assert.Equal(12, ran);
        Assert.Equal(6, skipped);
    }

    private static int Run(string name, JsonElement vector)
    {
        var protocol = NoiseProtocol.Parse(name, Blake2bNoiseHash.Registry);
        using var initiatorStatic = Optional(vector, "init_static", key => NoiseKeyPair.FromPrivateKey(key));
        using var responderStatic = Optional(vector, "resp_static", key => NoiseKeyPair.FromPrivateKey(key));
        using var initiator = new HandshakeState(protocol, initiator: true, Hex(vector, "init_prologue"),
            initiatorStatic, Hex(vector, "init_remote_static"), NoiseKeyPair.FromPrivateKey(Hex(vector, "init_ephemeral")));
        using var responder = new HandshakeState(protocol, initiator: false, Hex(vector, "resp_prologue"),
            responderStatic, Hex(vector, "resp_remote_static"), NoiseKeyPair.FromPrivateKey(Hex(vector, "resp_ephemeral")));

        var steps = vector.GetProperty("messages").EnumerateArray().ToList();
        for (var index = 0; index < steps.Count; index++)
        {
            var payload = Convert.FromHexString(steps[index].GetProperty("payload").GetString()!);
            var expected = steps[index].GetProperty("ciphertext").GetString()!;
            var fromInitiator = protocol.Pattern.IsOneWay || index % 2 == 0;
            var (sender, receiver) = fromInitiator ? (initiator, responder) : (responder, initiator);
            byte[] ciphertext, plaintext;
            if (!sender.IsComplete)
            {
                ciphertext = sender.WriteMessage(payload);
                plaintext = receiver.ReadMessage(ciphertext);
            }
            else
            {
                ciphertext = sender.Result!.Encrypt(payload);
                plaintext = receiver.Result!.Decrypt(ciphertext);
            }
            Assert.True(expected == Convert.ToHexStringLower(ciphertext), $"{name} message {index}: ciphertext differs");
            Assert.Equal(payload, plaintext);
            if (index == protocol.Pattern.Messages.Count - 1)
            {
                Assert.True(initiator.IsComplete && responder.IsComplete, $"{name}: handshake not complete after its last message");
                var hash = vector.GetProperty("handshake_hash").GetString()!;
                Assert.Equal(hash, Convert.ToHexStringLower(initiator.Result!.HandshakeHash));
                Assert.Equal(hash, Convert.ToHexStringLower(responder.Result!.HandshakeHash));
            }
        }
        Assert.True(steps.Count > protocol.Pattern.Messages.Count, $"{name}: the vector has no transport messages");
        return steps.Count;
    }

    private static byte[] Hex(JsonElement vector, string property) =>
        vector.TryGetProperty(property, out var value) ? Convert.FromHexString(value.GetString()!) : [];

    private static T? Optional<T>(JsonElement vector, string property, Func<byte[], T> make) where T : class =>
        vector.TryGetProperty(property, out var value) ? make(Convert.FromHexString(value.GetString()!)) : null;
}
