using System.Text;
using Xunit;
using Dreamwell.Formats;

namespace Dreamwell.Tests.Formats;

/// <summary>Names that would escape the destination are refused when packing and, in hand-crafted containers, when opening.</summary>
public sealed class PathSafetyTests
{
    /// <summary>Replaces a stored string in a container's header and re-seals the header hash, as an attacker would.</summary>
    private static byte[] Forge(byte[] container, string storedText, string replacement)
    {
        Assert.Equal(Encoding.UTF8.GetByteCount(storedText), Encoding.UTF8.GetByteCount(replacement));
        return Forger.Reseal(container, body =>
        {
            var at = body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(storedText));
            Assert.True(at >= 0, $"'{storedText}' not found in the header");
            Encoding.UTF8.GetBytes(replacement).CopyTo(body, at);
        });
    }

    private static void AssertRefusedOnOpen(TempFolder temp, byte[] forged, string extension)
    {
        var path = temp.Write("forged" + extension, forged);
        var verdict = DreamCodec.Verify(path, null, CancellationToken.None);
        Assert.False(verdict.IsValid);
        Assert.Equal("UnsafePath", verdict.FailureId);
        var destination = temp.File("deep/out");
        Directory.CreateDirectory(temp.File("deep"));
        var basePath = temp.File("base.bin");
        var error = Assert.ThrowsAny<DreamException>(() => DreamCodec.Open(path, destination, basePath, false, null, CancellationToken.None));
        Assert.Equal("UnsafePath", error.ErrorId);
        Assert.False(File.Exists(temp.File("deep/x")) || File.Exists(temp.File("x")) || Directory.Exists(destination) || File.Exists(destination));
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.File("deep")));
    }

    public static TheoryData<DreamFormat, string> SingleFileCases()
    {
        var data = new TheoryData<DreamFormat, string>();
        foreach (var format in new[] { DreamFormat.Dreamfile, DreamFormat.QPort, DreamFormat.Delta })
            foreach (var evil in new[] { "../x", "/abs", "a/.." , "..\\x", "C:\\x" })
                data.Add(format, evil);
        return data;
    }

    [Theory]
    [MemberData(nameof(SingleFileCases))]
    public void SingleFileContainersRefuseForgedNames(DreamFormat format, string evil)
    {
        using var temp = new TempFolder();
        var name = new string('z', Encoding.UTF8.GetByteCount(evil));
        var source = temp.Write(name, FormatTestData.Text(500));
        var basePath = temp.Write("base.bin", FormatTestData.Text(400));
        var container = temp.File("good" + DreamCodec.DefaultExtension(format));
        if (format == DreamFormat.Delta) DreamCodec.CreateDelta(basePath, source, container, new PackOptions(), false, null, CancellationToken.None);
        else DreamCodec.Pack(source, container, format, new PackOptions(), false, null, CancellationToken.None);
        AssertRefusedOnOpen(temp, Forge(File.ReadAllBytes(container), name, evil), DreamCodec.DefaultExtension(format));
    }

    private static byte[] PackTree(TempFolder temp)
    {
        Temp(temp, "tree/zzzz", "keep");
        Temp(temp, "tree/d/yyyy", "keep too");
        File.CreateSymbolicLink(temp.File("tree/d/link"), "qqqq/r");
        var container = temp.File("good.fractal");
        DreamCodec.Pack(temp.File("tree"), container, DreamFormat.Fractal, new PackOptions { Level = 3 }, false, null, CancellationToken.None);
        return File.ReadAllBytes(container);
    }

    private static void Temp(TempFolder temp, string name, string text) => temp.Write(name, Encoding.UTF8.GetBytes(text));

    [Theory]
    [InlineData("zzzz", "../x")]
    [InlineData("zzzz", "/abs")]
    [InlineData("zzzz", "./..")]
    [InlineData("d/yyyy", "d/../x")]
    [InlineData("d/yyyy", "..//..")]
    [InlineData("qqqq/r", "../../")]
    [InlineData("qqqq/r", "/etc/x")]
    [InlineData("qqqq/r", "..\\..\\")]
    public void FractalRefusesForgedEntryNamesAndEscapingLinks(string stored, string evil)
    {
        using var temp = new TempFolder();
        var container = PackTree(temp);
        AssertRefusedOnOpen(temp, Forge(container, stored, evil), ".fractal");
    }

    [Theory]
    [InlineData("../../outside")]
    [InlineData("/etc/passwd")]
    [InlineData("../../")]
    public void PackingRefusesLinksThatLeaveTheTree(string target)
    {
        using var temp = new TempFolder();
        Temp(temp, "tree/sub/file", "x");
        File.CreateSymbolicLink(temp.File("tree/sub/escape"), target);
        var error = Assert.ThrowsAny<DreamException>(() =>
            DreamCodec.Pack(temp.File("tree"), temp.File("t.fractal"), DreamFormat.Fractal, new PackOptions { Level = 1 }, false, null, CancellationToken.None));
        Assert.Equal("UnsafePath", error.ErrorId);
        Assert.False(File.Exists(temp.File("t.fractal")));
    }

    [Fact]
    public void PackingKeepsLinksThatStayInside()
    {
        using var temp = new TempFolder();
        Temp(temp, "tree/sub/file", "x");
        File.CreateSymbolicLink(temp.File("tree/sub/up"), "../sub/file");
        DreamCodec.Pack(temp.File("tree"), temp.File("t.fractal"), DreamFormat.Fractal, new PackOptions { Level = 1 }, false, null, CancellationToken.None);
        DreamCodec.Open(temp.File("t.fractal"), temp.File("out"), null, false, null, CancellationToken.None);
        Assert.Equal("../sub/file", new FileInfo(temp.File("out/sub/up")).LinkTarget);
        Assert.Equal("x", File.ReadAllText(temp.File("out/sub/up")));
    }
}
