using Xunit;
using Dreamwell.Formats;

namespace Dreamwell.Tests.Formats;

/// <summary>Packs and opens byte arrays through the public facade, the way a cmdlet would.</summary>
public static class FormatHarness
{
    public static readonly DreamFormat[] All = [DreamFormat.Dreamfile, DreamFormat.QPort, DreamFormat.Delta, DreamFormat.Fractal];

    /// <summary>The base a delta test packs against: the content with its middle tenth replaced, or unrelated bytes when tiny.</summary>
    public static byte[] DeltaBase(byte[] content)
    {
        if (content.Length < 1024) return FormatTestData.Random(1000, seed: 99);
        var copy = (byte[])content.Clone();
        var span = copy.AsSpan(copy.Length / 2, copy.Length / 10);
        new Random(7).NextBytes(span);
        return copy;
    }

    /// <summary>Writes <paramref name="content"/> as input.bin (and base.bin for a delta), packs it, returns the result.</summary>
    public static PackResult Pack(TempFolder temp, DreamFormat format, byte[] content, string containerName, PackOptions? options = null)
    {
        var input = temp.File("input.bin");
        if (!File.Exists(input)) temp.Write("input.bin", content);
        var container = temp.File(containerName);
        options ??= new PackOptions();
        if (format == DreamFormat.Delta)
        {
            var basePath = temp.File("base.bin");
            if (!File.Exists(basePath)) temp.Write("base.bin", DeltaBase(content));
            return DreamCodec.CreateDelta(basePath, input, container, options, overwrite: false, null, CancellationToken.None);
        }
        return DreamCodec.Pack(input, container, format, options, overwrite: false, null, CancellationToken.None);
    }

    /// <summary>Opens into "out" (a file, or a folder for Fractal) and returns the restored file's path with the result.</summary>
    public static (OpenResult Result, string RestoredFile) Open(TempFolder temp, string container, string destination = "out", bool overwrite = false)
    {
        var format = DreamCodec.Detect(container);
        var target = temp.File(destination);
        var basePath = format == DreamFormat.Delta ? temp.File("base.bin") : null;
        var result = DreamCodec.Open(container, target, basePath, overwrite, null, CancellationToken.None);
        var restored = format == DreamFormat.Fractal ? Path.Combine(target, "input.bin") : target;
        return (result, restored);
    }
}

/// <summary>Rewrites a container's header body and re-seals its hash, as a forger would, keeping the payload.</summary>
public static class Forger
{
    public static byte[] Reseal(byte[] container, Action<byte[]> editBody)
    {
        var format = Envelope.FromMagic(container.AsSpan(0, 4))!.Value;
        var version = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(container.AsSpan(4));
        var headerLength = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(container.AsSpan(8));
        var body = container[16..(16 + headerLength)];
        editBody(body);
        return [.. Envelope.Seal(format, version, body), .. container[(48 + headerLength)..]];
    }
}
