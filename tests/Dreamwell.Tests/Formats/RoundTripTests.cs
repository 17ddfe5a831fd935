using Xunit;
using Dreamwell.Formats;

namespace Dreamwell.Tests.Formats;

public sealed class RoundTripTests
{
    public static TheoryData<DreamFormat, string, int> Cases()
    {
        var data = new TheoryData<DreamFormat, string, int>();
        foreach (var format in FormatHarness.All)
            foreach (var kind in new[] { "random", "text" })
                foreach (var size in new[] { 0, 1, 1 << 20, 64 << 20 })
                    data.Add(format, kind, size);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RestoresBitExactlyAndPacksDeterministically(DreamFormat format, string kind, int size)
    {
        using var temp = new TempFolder();
        var content = FormatTestData.Make(kind, size);
        // Fractal defaults to level 19: fine for archives, too slow for a 64 MiB unit test, so the big case uses 3.
        var options = format == DreamFormat.Fractal && size > (1 << 20) ? new PackOptions { Level = 3 } : new PackOptions();

        var first = FormatHarness.Pack(temp, format, content, "a" + DreamCodec.DefaultExtension(format), options);
        var second = FormatHarness.Pack(temp, format, content, "b" + DreamCodec.DefaultExtension(format), options);
        Assert.Equal(format, DreamCodec.Detect(first.OutputPath));
        Assert.Equal(first.OutputHash, second.OutputHash);
        Assert.True(File.ReadAllBytes(first.OutputPath).AsSpan().SequenceEqual(File.ReadAllBytes(second.OutputPath)), "packing twice gave different bytes");
        Assert.Equal(Blake3Hash.ToHex(Blake3Hash.ComputeFile(first.OutputPath)), first.OutputHash);
        Assert.Equal(new FileInfo(first.OutputPath).Length, first.BytesOut);
        if (format != DreamFormat.Fractal) Assert.Equal(Blake3Hash.Hex(content), first.InputHash);

        var verify = DreamCodec.Verify(first.OutputPath, null, CancellationToken.None);
        Assert.True(verify.IsValid, verify.FirstFailure);
        Assert.True(verify.Verifications >= 2);

        var (opened, restored) = FormatHarness.Open(temp, first.OutputPath);
        Assert.Equal(first.OutputHash, opened.InputHash);
        Assert.Equal(first.InputHash, opened.OutputHash);
        Assert.Equal(size, opened.BytesOut);
        Assert.True(opened.Verifications >= 3);
        Assert.True(File.ReadAllBytes(restored).AsSpan().SequenceEqual(content), "restored bytes differ");
    }
}
