using Xunit;
using Dreamwell.Formats;

namespace Dreamwell.Tests.Formats;

/// <summary>
/// Every damaged container is caught: each single-byte flip and each truncation of a small container, and
/// 10,000 seeded random mutations across the four formats. A catch means Verify reports invalid, Open throws a
/// DreamException (no other type), and nothing is left in the destination's folder.
/// </summary>
public sealed class CorruptionTests
{
    public static TheoryData<DreamFormat> Formats() => new(FormatHarness.All);

    private sealed class Subject : IDisposable
    {
        public readonly TempFolder Temp = new();
        public readonly DreamFormat Format;
        public readonly byte[] Original;
        public readonly string Mutant;
        private readonly HashSet<string> _known;

        public Subject(DreamFormat format)
        {
            Format = format;
            string container;
            if (format == DreamFormat.Fractal)
            {
                var tree = Temp.File("tree");
                Temp.Write("tree/a.txt", FormatTestData.Text(200));
                Temp.Write("tree/b.txt", FormatTestData.Text(200));
                Temp.Write("tree/sub/c.bin", FormatTestData.Random(50));
                Directory.CreateDirectory(Temp.File("tree/empty"));
                File.CreateSymbolicLink(Temp.File("tree/link"), "sub/c.bin");
                container = DreamCodec.Pack(tree, Temp.File("small.fractal"), format, new PackOptions(), false, null, CancellationToken.None).OutputPath;
            }
            else container = FormatHarness.Pack(Temp, format, FormatTestData.Text(300), "small" + DreamCodec.DefaultExtension(format)).OutputPath;
            Original = File.ReadAllBytes(container);
            Mutant = Temp.File("mutant" + DreamCodec.DefaultExtension(format));
            _known = Directory.EnumerateFileSystemEntries(Temp.Path, "*", SearchOption.AllDirectories).Append(Mutant).ToHashSet();
        }

        public void AssertDetected(byte[] mutated, string what)
        {
            File.WriteAllBytes(Mutant, mutated);
            var verdict = DreamCodec.Verify(Mutant, null, CancellationToken.None);
            Assert.False(verdict.IsValid, $"{Format}: Verify accepted {what}");
            Assert.NotNull(verdict.FailureId);
            try
            {
                FormatHarness.Open(Temp, Mutant);
                Assert.Fail($"{Format}: Open accepted {what}");
            }
            catch (DreamException)
            {
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"{Format}: Open threw {e.GetType().Name} (not a DreamException) for {what}: {e.Message}");
            }
            var left = Directory.EnumerateFileSystemEntries(Temp.Path, "*", SearchOption.AllDirectories).Where(p => !_known.Contains(p)).ToList();
            Assert.True(left.Count == 0, $"{Format}: {what} left {string.Join(", ", left)}");
        }

        public void Dispose() => Temp.Dispose();
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void EverySingleByteFlipIsDetected(DreamFormat format)
    {
        using var subject = new Subject(format);
        for (var i = 0; i < subject.Original.Length; i++)
        {
            var mutated = (byte[])subject.Original.Clone();
            mutated[i] ^= 0xFF;
            subject.AssertDetected(mutated, $"a flipped byte at {i}");
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void EveryTruncationIsDetected(DreamFormat format)
    {
        using var subject = new Subject(format);
        for (var length = 0; length < subject.Original.Length; length++)
            subject.AssertDetected(subject.Original[..length], $"truncation to {length} bytes");
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void RandomMutationsAreDetected(DreamFormat format)
    {
        const int perFormat = 2500; // × 4 formats = 10,000
        using var subject = new Subject(format);
        var random = new Random(20261125 + (int)format);
        var original = subject.Original;
        for (var n = 0; n < perFormat; n++)
        {
            byte[] mutated;
            string what;
            do
            {
                var at = random.Next(original.Length);
                switch (random.Next(6))
                {
                    case 0:
                        mutated = (byte[])original.Clone();
                        mutated[at] ^= (byte)(1 << random.Next(8));
                        what = $"bit flip at {at}";
                        break;
                    case 1:
                        mutated = (byte[])original.Clone();
                        var count = Math.Min(1 + random.Next(8), original.Length - at);
                        random.NextBytes(mutated.AsSpan(at, count));
                        what = $"{count} random bytes at {at}";
                        break;
                    case 2:
                        mutated = original[..at];
                        what = $"truncation to {at}";
                        break;
                    case 3:
                        var inserted = FormatTestData.Random(1 + random.Next(16), random.Next());
                        mutated = [.. original[..at], .. inserted, .. original[at..]];
                        what = $"{inserted.Length} bytes inserted at {at}";
                        break;
                    case 4:
                        var removed = Math.Min(1 + random.Next(32), original.Length - at);
                        mutated = [.. original[..at], .. original[(at + removed)..]];
                        what = $"{removed} bytes removed at {at}";
                        break;
                    default:
                        mutated = [.. original, .. FormatTestData.Random(1 + random.Next(64), random.Next())];
                        what = "bytes appended";
                        break;
                }
            } while (mutated.AsSpan().SequenceEqual(original));
            subject.AssertDetected(mutated, what);
        }
    }
}
