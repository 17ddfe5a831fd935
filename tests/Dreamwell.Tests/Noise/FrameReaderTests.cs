using Dreamwell.Node.Secure;

namespace Dreamwell.Tests.Noise;

public sealed class FrameReaderTests
{
    /// <summary>A stream that hands out at most a few bytes per read, as a slow network does.</summary>
    private sealed class TrickleStream(byte[] data, int perRead) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, perRead)], cancellationToken);
    }

    private static byte[] Framed(params byte[][] bodies)
    {
        var output = new MemoryStream();
        foreach (var body in bodies) FrameIo.WriteAsync(output, body, CancellationToken.None).GetAwaiter().GetResult();
        return output.ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(70_000)]
    [InlineData(1 << 20)]
    public async Task Frames_come_out_whole_and_in_order_however_the_bytes_arrive(int perRead)
    {
        var random = new Random(7);
        var bodies = Enumerable.Range(0, 40).Select(i => { var b = new byte[i % 5 == 0 ? 65535 : random.Next(0, 3000)]; random.NextBytes(b); return b; }).ToArray();
        var reader = new FrameReader(new TrickleStream(Framed(bodies), perRead));
        foreach (var body in bodies)
        {
            var frame = await reader.ReadAsync(CancellationToken.None);
            Assert.NotNull(frame);
            Assert.Equal(body, frame.Value.ToArray());
        }
        Assert.Null(await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_stream_that_ends_inside_a_frame_is_a_truncated_frame()
    {
        var bytes = Framed(new byte[100], new byte[200]);
        var reader = new FrameReader(new TrickleStream(bytes[..^50], 64));
        Assert.NotNull(await reader.ReadAsync(CancellationToken.None));
        var error = await Assert.ThrowsAsync<DreamException>(async () => await reader.ReadAsync(CancellationToken.None));
        Assert.Equal(SecureChannelErrors.TruncatedFrame, error.ErrorId);
    }
}
