using System.Buffers.Binary;
using System.Diagnostics;
using Xunit;
using Dreamwell.Formats;

namespace Dreamwell.Tests.Formats;

public sealed class QPortTests
{
    private static byte[] Mixed(int size)
    {
        var bytes = FormatTestData.Text(size);
        var noise = FormatTestData.Random(size / 4, seed: 3);
        for (var i = 0; i + 4096 <= noise.Length; i += 8192) noise.AsSpan(i, 4096).CopyTo(bytes.AsSpan(i * 3));
        return bytes;
    }

    [RequiresToolFact("zstd")]
    public void TheFramesAfterTheHeaderDecodeWithStockZstd()
    {
        using var temp = new TempFolder();
        var content = Mixed(9 << 20);
        var source = temp.Write("input.bin", content);
        var container = temp.File("x.qport");
        DreamCodec.Pack(source, container, DreamFormat.QPort, new PackOptions { ChunkSize = 1 << 20 }, false, null, CancellationToken.None);

        // docs/formats.md: the frames start at 48 + (u32 LE at offset 8); tail counts from 1.
        var headerLength = BinaryPrimitives.ReadUInt32LittleEndian(File.ReadAllBytes(container).AsSpan(8, 4));
        using (var reader = DreamCodec.OpenQPort(container)) Assert.Equal(48 + headerLength, reader.PayloadOffset);
        var restored = temp.File("zstd-out.bin");
        var shell = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", $"tail -c +{48 + headerLength + 1} '{container}' | zstd -d -q -o '{restored}'"])
        { RedirectStandardError = true })!;
        var stderr = shell.StandardError.ReadToEnd();
        shell.WaitForExit();
        Assert.True(shell.ExitCode == 0, stderr);
        Assert.True(File.ReadAllBytes(restored).AsSpan().SequenceEqual(content));
    }

    [Fact]
    public void EachChunkCanBeReadAndVerifiedOnItsOwn()
    {
        using var temp = new TempFolder();
        var content = Mixed((5 << 20) + 777);
        var source = temp.Write("input.bin", content);
        var container = temp.File("x.qport");
        DreamCodec.Pack(source, container, DreamFormat.QPort, new PackOptions { ChunkSize = 1 << 20 }, false, null, CancellationToken.None);

        using (var reader = DreamCodec.OpenQPort(container))
        {
            Assert.Equal(6, reader.ChunkCount);
            foreach (var chunk in reader.Chunks)
            {
                var bytes = reader.ReadChunk(chunk.Index);
                Assert.True(bytes.AsSpan().SequenceEqual(content.AsSpan((int)chunk.ContentOffset, chunk.RawSize)));
                Assert.Equal(chunk.RawHash, Blake3Hash.Hex(bytes));
            }
        }

        var damaged = File.ReadAllBytes(container);
        QPortChunk third;
        using (var reader = DreamCodec.OpenQPort(container)) third = reader.Chunks[2];
        damaged[third.FrameOffset + third.FrameSize / 2] ^= 0x40;
        File.WriteAllBytes(container, damaged);
        using (var reader = DreamCodec.OpenQPort(container))
        {
            Assert.Equal(1 << 20, reader.ReadChunk(1).Length);
            var error = Assert.Throws<DreamFormatException>(() => reader.ReadChunk(2));
            Assert.Equal("ChunkHashMismatch", error.ErrorId);
            Assert.Equal(third.FrameOffset, error.Offset);
        }
    }

    [Fact]
    public void TheThreadCountNeverChangesTheBytes()
    {
        using var temp = new TempFolder();
        var source = temp.Write("input.bin", Mixed(6 << 20));
        var one = DreamCodec.Pack(source, temp.File("1.qport"), DreamFormat.QPort, new PackOptions { Threads = 1, ChunkSize = 1 << 20 }, false, null, CancellationToken.None);
        var four = DreamCodec.Pack(source, temp.File("4.qport"), DreamFormat.QPort, new PackOptions { Threads = 4, ChunkSize = 1 << 20 }, false, null, CancellationToken.None);
        Assert.Equal(one.OutputHash, four.OutputHash);
        var d1 = DreamCodec.Pack(source, temp.File("1.dreamfile"), DreamFormat.Dreamfile, new PackOptions { Threads = 1 }, false, null, CancellationToken.None);
        var d4 = DreamCodec.Pack(source, temp.File("4.dreamfile"), DreamFormat.Dreamfile, new PackOptions { Threads = 4 }, false, null, CancellationToken.None);
        Assert.Equal(d1.OutputHash, d4.OutputHash);
    }
}
