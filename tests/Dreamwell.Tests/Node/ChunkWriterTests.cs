using Dreamwell.Node;

namespace Dreamwell.Tests.Node;

public sealed class ChunkWriterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dreamwell-chunkwriter-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Every_chunk_lands_at_its_offset_and_is_reported_only_once_written()
    {
        var path = Path.Combine(_folder, "data");
        const int chunk = TransferWire.FileChunkSize;
        var lengths = new[] { chunk, chunk, chunk, 12_345 }; // the last one is not aligned: it goes through the page cache
        var size = (long)chunk * 3 + 12_345;
        var expected = new byte[size];
        new Random(3).NextBytes(expected);
        var reported = new List<int>();
        using (var data = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite))
        {
            RandomAccess.SetLength(data, size);
            using var writer = new ChunkWriter(data, path, (index, _, _) => { lock (reported) reported.Add(index); });
            for (var index = 0; index < lengths.Length; index++)
            {
                var buffer = await writer.RentAsync(CancellationToken.None);
                expected.AsSpan(index * chunk, lengths[index]).CopyTo(buffer.Span);
                writer.Write(index, (long)index * chunk, buffer, lengths[index], new byte[32]);
            }
            await writer.CompleteAsync();
            Assert.Equal([0, 1, 2, 3], reported);
        }
        Assert.Equal(expected, File.ReadAllBytes(path));
    }

    [Fact]
    public void Aligned_buffers_start_on_the_alignment_uncached_writes_need()
    {
        for (var i = 0; i < 8; i++)
        {
            var buffer = new AlignedBuffer(4096 * (i + 1));
            unsafe
            {
                fixed (byte* start = buffer.Span) Assert.Equal(0, (long)start % UncachedFile.Alignment);
            }
        }
    }
}
