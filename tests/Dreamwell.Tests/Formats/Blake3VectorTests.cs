using Dreamwell.Tests.Support;
using Xunit;
using System.Text.Json;
using Blake3;

namespace Dreamwell.Tests.Formats;

/// <summary>The official BLAKE3 test vectors (all input lengths, all three modes, extended output).</summary>
public sealed class Blake3VectorTests
{
    private static (JsonElement Root, byte[] Key, string Context) Load()
    {
        var json = JsonDocument.Parse(File.ReadAllText(SharedData.FilePath("blake3-test-vectors.json")!)).RootElement;
        return (json, System.Text.Encoding.ASCII.GetBytes(json.GetProperty("key").GetString()!), json.GetProperty("context_string").GetString()!);
    }

    private static byte[] Input(int length)
    {
        var input = new byte[length];
        for (var i = 0; i < length; i++) input[i] = (byte)(i % 251);
        return input;
    }

    private static string Output(Hasher hasher, int bytes)
    {
        var output = new byte[bytes];
        hasher.Finalize(output);
        return Convert.ToHexStringLower(output);
    }

    [SharedDataFact("blake3-test-vectors.json")]
    public void HashModeMatchesEveryVectorThroughTheEngineHelpers()
    {
        var (root, _, _) = Load();
        var cases = root.GetProperty("cases").EnumerateArray().ToList();
        Assert.NotEmpty(cases);
        foreach (var c in cases)
        {
            var length = c.GetProperty("input_len").GetInt32();
            var expected = c.GetProperty("hash").GetString()!;
            var input = Input(length);
            Assert.Equal(expected[..64], Blake3Hash.Hex(input));
            Assert.Equal(expected[..64], Convert.ToHexStringLower(Blake3Hash.ComputeStream(new MemoryStream(input))));
            using var hasher = Hasher.New();
            hasher.Update(input);
            Assert.Equal(expected, Output(hasher, expected.Length / 2));
        }
    }

    [SharedDataFact("blake3-test-vectors.json")]
    public void KeyedAndDeriveKeyModesMatchEveryVector()
    {
        var (root, key, context) = Load();
        foreach (var c in root.GetProperty("cases").EnumerateArray())
        {
            var input = Input(c.GetProperty("input_len").GetInt32());
            var keyed = c.GetProperty("keyed_hash").GetString()!;
            using (var hasher = Hasher.NewKeyed(key))
            {
                hasher.Update(input);
                Assert.Equal(keyed, Output(hasher, keyed.Length / 2));
            }
            var derived = c.GetProperty("derive_key").GetString()!;
            using (var hasher = Hasher.NewDeriveKey(context))
            {
                hasher.Update(input);
                Assert.Equal(derived, Output(hasher, derived.Length / 2));
            }
        }
    }
}
