#pragma warning disable CA1416 // these tests run on Unix: modes and symlinks are what they check
using Xunit;
using Dreamwell.Formats;

namespace Dreamwell.Tests.Formats;

public sealed class CodecTests
{
    [Fact]
    public void DetectReadsTheMagicAndIgnoresEverythingElse()
    {
        using var temp = new TempFolder();
        Assert.Null(DreamCodec.Detect(temp.Write("short", "DRF"u8.ToArray())));
        Assert.Null(DreamCodec.Detect(temp.Write("other", "PK\x03\x04rest"u8.ToArray())));
        Assert.Null(DreamCodec.Detect(temp.File("missing")));
        Assert.Equal(DreamFormat.Fractal, DreamCodec.Detect(temp.Write("f", "FRCLxxxx"u8.ToArray())));
        Assert.Equal(DreamFormat.Fibo, DreamCodec.Detect(temp.Write("g", "FIBO"u8.ToArray())));
        var error = Assert.ThrowsAny<DreamException>(() => DreamCodec.Open(temp.File("other"), temp.File("out"), null, false, null, CancellationToken.None));
        Assert.Equal("BadMagic", error.ErrorId);
    }

    [Theory]
    [InlineData(DreamFormat.Dreamfile, ".dreamfile")]
    [InlineData(DreamFormat.QPort, ".qport")]
    [InlineData(DreamFormat.Delta, ".qdlt")]
    [InlineData(DreamFormat.Fractal, ".fractal")]
    public void DefaultExtensions(DreamFormat format, string extension) => Assert.Equal(extension, DreamCodec.DefaultExtension(format));

    [Theory]
    [InlineData(DreamFormat.Dreamfile)]
    [InlineData(DreamFormat.QPort)]
    [InlineData(DreamFormat.Delta)]
    [InlineData(DreamFormat.Fractal)]
    public void NothingIsReplacedWithoutOverwrite(DreamFormat format)
    {
        using var temp = new TempFolder();
        var content = FormatTestData.Text(10_000);
        var packed = FormatHarness.Pack(temp, format, content, "c" + DreamCodec.DefaultExtension(format), new PackOptions { Level = 1 });
        var again = Assert.ThrowsAny<DreamException>(() => FormatHarness.Pack(temp, format, content, "c" + DreamCodec.DefaultExtension(format)));
        Assert.Equal("DestinationExists", again.ErrorId);

        var outPath = temp.Write("out", "precious"u8.ToArray());
        if (format == DreamFormat.Fractal) { File.Delete(outPath); temp.Write("out/input.bin", "precious"u8.ToArray()); }
        var error = Assert.ThrowsAny<DreamException>(() => FormatHarness.Open(temp, packed.OutputPath));
        Assert.Equal("DestinationExists", error.ErrorId);
        var (_, restored) = FormatHarness.Open(temp, packed.OutputPath, overwrite: true);
        Assert.True(File.ReadAllBytes(restored).AsSpan().SequenceEqual(content));
    }

    [Fact]
    public void InspectReportsHeaderFactsWithoutDecoding()
    {
        using var temp = new TempFolder();
        var content = FormatTestData.Text(3 << 20);
        var packed = FormatHarness.Pack(temp, DreamFormat.QPort, content, "c.qport", new PackOptions { Level = 5, ChunkSize = 1 << 20 });
        var info = DreamCodec.Inspect(packed.OutputPath);
        Assert.Equal(DreamFormat.QPort, info.Format);
        Assert.Equal(1, info.Version);
        Assert.Equal(5, info.Level);
        Assert.Equal(3, info.ChunkCount);
        Assert.Equal(content.Length, info.ContentBytes);
        Assert.Equal(packed.BytesOut, info.ContainerBytes);
        Assert.Equal(packed.InputHash, info.ContentHash);
        Assert.Equal("input.bin", Assert.Single(info.Entries).Name);
    }

    [Fact]
    public void AnOpenedDreamfileGetsItsNameModeAndTimeBack()
    {
        using var temp = new TempFolder();
        var source = temp.Write("report.txt", FormatTestData.Text(1000));
        File.SetUnixFileMode(source, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var when = new DateTime(2019, 9, 9, 9, 9, 9, 123, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(source, when);
        var packed = DreamCodec.Pack(source, temp.File("r.dreamfile"), DreamFormat.Dreamfile, new PackOptions(), false, null, CancellationToken.None);
        Directory.CreateDirectory(temp.File("into"));
        var opened = DreamCodec.Open(packed.OutputPath, temp.File("into"), null, false, null, CancellationToken.None);
        Assert.Equal(temp.File("into/report.txt"), opened.OutputPath);
        Assert.Equal(when, File.GetLastWriteTimeUtc(opened.OutputPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(opened.OutputPath));
    }
}
