using System.Buffers.Binary;
using Xunit;
using Dreamwell.Formats;

namespace Dreamwell.Tests.Formats;

/// <summary>Headers whose hash is valid but whose numbers are absurd are refused before anything is allocated or decoded.</summary>
public sealed class LimitTests
{
    private static void AssertRefused(TempFolder temp, byte[] forged, string extension, params string[] ids)
    {
        var path = temp.Write("forged" + extension, forged);
        var verdict = DreamCodec.Verify(path, null, CancellationToken.None);
        Assert.False(verdict.IsValid);
        Assert.Contains(verdict.FailureId, ids);
        var error = Assert.ThrowsAny<DreamException>(() => DreamCodec.Open(path, temp.File("out"), temp.File("base.bin"), false, null, CancellationToken.None));
        Assert.Contains(error.ErrorId, ids);
        Assert.False(File.Exists(temp.File("out")) || Directory.Exists(temp.File("out")));
    }

    [Fact]
    public void ADreamfileClaimingAHugeSizeHitsTheRatioLimit()
    {
        using var temp = new TempFolder();
        var packed = FormatHarness.Pack(temp, DreamFormat.Dreamfile, FormatTestData.Text(5000), "c.dreamfile");
        var forged = Forger.Reseal(File.ReadAllBytes(packed.OutputPath), body => BinaryPrimitives.WriteUInt64LittleEndian(body.AsSpan(4), 1UL << 40));
        AssertRefused(temp, forged, ".dreamfile", "LimitExceeded");
    }

    [Fact]
    public void AQPortWithAnAbsurdChunkSizeOrCountIsRefused()
    {
        using var temp = new TempFolder();
        var packed = FormatHarness.Pack(temp, DreamFormat.QPort, FormatTestData.Text(5000), "c.qport");
        var original = File.ReadAllBytes(packed.OutputPath);
        AssertRefused(temp, Forger.Reseal(original, body => BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(4), 1u << 30)), ".qport", "LimitExceeded");
        AssertRefused(temp, Forger.Reseal(original, body => BinaryPrimitives.WriteUInt64LittleEndian(body.AsSpan(8), ulong.MaxValue)), ".qport", "LimitExceeded");
    }

    [Fact]
    public void AFractalClaimingMillionsOfEntriesIsRefused()
    {
        using var temp = new TempFolder();
        var packed = FormatHarness.Pack(temp, DreamFormat.Fractal, FormatTestData.Text(5000), "c.fractal", new PackOptions { Level = 1 });
        var original = File.ReadAllBytes(packed.OutputPath);
        AssertRefused(temp, Forger.Reseal(original, body => BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(8), 50_000_000)), ".fractal", "LimitExceeded");
        AssertRefused(temp, Forger.Reseal(original, body => BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(8), 900_000)), ".fractal", "Truncated", "BadHeader");
    }

    [Fact]
    public void ADeltaCopyingPastTheEndOfItsBaseIsRefused()
    {
        using var temp = new TempFolder();
        var content = FormatTestData.Random(300_000);
        var packed = FormatHarness.Pack(temp, DreamFormat.Delta, content, "c.qdlt");
        var forged = Forger.Reseal(File.ReadAllBytes(packed.OutputPath), body =>
        {
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(body.AsSpan(96));
            var firstOp = 162 + nameLength;
            Assert.Equal(0, body[firstOp]); // the base shares the first half: the first op is a copy
            BinaryPrimitives.WriteUInt64LittleEndian(body.AsSpan(firstOp + 1), 1UL << 45);
        });
        AssertRefused(temp, forged, ".qdlt", "BadHeader");
    }

    [Fact]
    public void RandomBytesBehindAValidMagicNeverThrowFromVerify()
    {
        using var temp = new TempFolder();
        var random = new Random(7);
        foreach (var magic in new[] { "DRFL"u8.ToArray(), "QPRT"u8.ToArray(), "QDLT"u8.ToArray(), "FRCL"u8.ToArray() })
            for (var i = 0; i < 100; i++)
            {
                var bytes = new byte[random.Next(4, 600)];
                random.NextBytes(bytes);
                magic.CopyTo(bytes, 0);
                if (i % 2 == 0 && bytes.Length >= 16) { bytes[4] = 1; bytes[5] = 0; bytes[6] = 0; bytes[7] = 0; bytes[12] = bytes[13] = bytes[14] = bytes[15] = 0; }
                var path = temp.Write("garbage", bytes);
                Assert.False(DreamCodec.Verify(path, null, CancellationToken.None).IsValid);
                Assert.ThrowsAny<DreamException>(() => DreamCodec.Inspect(path));
            }
    }
}
