namespace Dreamwell.Tests.Noise;

/// <summary>A stream that reads a fixed script of bytes (then end of stream) and swallows writes.</summary>
internal sealed class ScriptedStream(byte[] script) : Stream
{
    private readonly MemoryStream _input = new(script, writable: false);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, count);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) { }
}
