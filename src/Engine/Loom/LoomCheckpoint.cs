using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dreamwell.Loom;

/// <summary>
/// The <c>.quantumtensor</c> checkpoint (docs/loom.md "Checkpoint format"):
/// magic "QTENSOR\0", u32 version, u32 header length, UTF-8 JSON header (config, training options, vocabulary,
/// step, RNG state, tensor table, section counts), then little-endian float32 sections — parameters, AdamW m, AdamW v,
/// training-loss history — then (i32 step, f32 loss) validation pairs, then the BLAKE3-256 of every byte before it.
/// Written with <see cref="AtomicFile"/>; verified before anything is parsed.
/// </summary>
public static class LoomCheckpoint
{
    public const int Version = 1;
    public const int MaxHeaderBytes = 1 << 20;
    public const long MaxFileBytes = 1L << 31;
    private const int MaxHistory = 100_000_000;
    private static ReadOnlySpan<byte> Magic => "QTENSOR\0"u8;
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static void Save(string path, LoomState state)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Checkpoints are little-endian.");
        var layout = new LoomParameters(state.Config);
        var header = new Header
        {
            Format = "dreamwell.loom",
            Config = state.Config,
            Training = state.Training,
            Vocabulary = state.Vocabulary,
            Step = state.Step,
            Random = state.RandomState.Select(w => w.ToString("x16")).ToArray(),
            ParameterCount = layout.Count,
            LossHistoryCount = state.LossHistory.Length,
            ValidationHistoryCount = state.ValidationHistory.Length,
            Tensors = layout.All.Select(t => new TensorEntry(t.Name, t.Rows, t.Cols, t.Offset)).ToArray(),
        };
        var headerBytes = JsonSerializer.SerializeToUtf8Bytes(header, Json);
        if (headerBytes.Length > MaxHeaderBytes)
            throw new DreamException("LoomCheckpointHeaderTooLarge", DreamErrorKind.LimitExceeded, $"The checkpoint header would be {headerBytes.Length} bytes; the limit is {MaxHeaderBytes}.");
        AtomicFile.Write(path, stream =>
        {
            using var hasher = Blake3.Hasher.New();
            void Put(ReadOnlySpan<byte> bytes) { hasher.Update(bytes); stream.Write(bytes); }
            Span<byte> word = stackalloc byte[4];
            Put(Magic);
            BinaryPrimitives.WriteUInt32LittleEndian(word, Version); Put(word);
            BinaryPrimitives.WriteUInt32LittleEndian(word, (uint)headerBytes.Length); Put(word);
            Put(headerBytes);
            Put(MemoryMarshal.AsBytes(state.Parameters.AsSpan(0, layout.Count)));
            Put(MemoryMarshal.AsBytes(state.AdamM.AsSpan(0, layout.Count)));
            Put(MemoryMarshal.AsBytes(state.AdamV.AsSpan(0, layout.Count)));
            Put(MemoryMarshal.AsBytes(state.LossHistory.AsSpan()));
            foreach (var point in state.ValidationHistory)
            {
                BinaryPrimitives.WriteInt32LittleEndian(word, point.Step); Put(word);
                BinaryPrimitives.WriteSingleLittleEndian(word, point.Loss); Put(word);
            }
            Span<byte> hash = stackalloc byte[Blake3Hash.Size];
            hasher.Finalize(hash);
            stream.Write(hash);
        });
    }

    public static LoomState Load(string path) => Read(path, out _, out _);

    public static LoomCheckpointInfo Inspect(string path)
    {
        var state = Read(path, out long length, out string hash);
        return new LoomCheckpointInfo
        {
            Path = Path.GetFullPath(path),
            Config = state.Config,
            Training = state.Training,
            ParameterCount = state.Config.ParameterCount,
            Step = state.Step,
            VocabSize = state.Vocabulary.Length,
            Vocabulary = string.Concat(state.Vocabulary.Select(char.ConvertFromUtf32)),
            Loss = state.LossHistory.Length > 0 ? state.LossHistory[^1] : null,
            ValidationLoss = state.ValidationHistory.Length > 0 ? state.ValidationHistory[^1].Loss : null,
            LossHistory = state.LossHistory,
            ValidationLossHistory = state.ValidationHistory,
            Length = length,
            Blake3 = hash,
        };
    }

    private static LoomState Read(string path, out long length, out string hashHex)
    {
        if (!File.Exists(path))
            throw new DreamException("LoomCheckpointNotFound", DreamErrorKind.NotFound, $"No checkpoint at '{path}'.");
        length = new FileInfo(path).Length;
        const int fixedBytes = 16 + Blake3Hash.Size;
        if (length < fixedBytes) throw Bad($"The file is {length} bytes, shorter than any checkpoint.", 0);
        if (length > MaxFileBytes) throw new DreamException("LoomCheckpointTooLarge", DreamErrorKind.LimitExceeded, $"The file is {length} bytes; the limit is {MaxFileBytes}.");
        var bytes = File.ReadAllBytes(path);
        if (!bytes.AsSpan(0, 8).SequenceEqual(Magic)) throw Bad("Not a .quantumtensor checkpoint (bad magic).", 0);
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        if (version != Version) throw Bad($"Checkpoint version {version} is not supported (this build reads {Version}).", 8);
        var body = bytes.AsSpan(0, bytes.Length - Blake3Hash.Size);
        var expected = bytes.AsSpan(bytes.Length - Blake3Hash.Size);
        var actual = Blake3Hash.Compute(body);
        if (!actual.AsSpan().SequenceEqual(expected))
            throw new DreamFormatException("LoomCheckpointCorrupt", $"'{path}' fails its BLAKE3 check: the file is damaged or was changed.", bytes.Length - Blake3Hash.Size);
        hashHex = Blake3Hash.ToHex(actual);
        uint headerLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12));
        if (headerLength > MaxHeaderBytes || 16 + (long)headerLength > body.Length) throw Bad($"Header length {headerLength} is out of bounds.", 12);
        Header header;
        try
        {
            header = JsonSerializer.Deserialize<Header>(bytes.AsSpan(16, (int)headerLength), Json) ?? throw Bad("The header is empty.", 16);
        }
        catch (JsonException e) { throw new DreamFormatException("LoomCheckpointInvalid", "The checkpoint header is not valid JSON: " + e.Message, 16, e); }
        if (header.Format != "dreamwell.loom" || header.Config is null || header.Training is null || header.Vocabulary is null || header.Random is null || header.Tensors is null)
            throw Bad("The header lacks required fields.", 16);
        var config = header.Config;
        try { config.Validate(); header.Training.Validate(); }
        catch (DreamException e) { throw new DreamFormatException("LoomCheckpointInvalid", "The checkpoint's configuration is invalid: " + e.Message, 16, e); }
        if (header.Vocabulary.Length != config.VocabSize) throw Bad($"The vocabulary has {header.Vocabulary.Length} entries; the config says {config.VocabSize}.", 16);
        var layout = new LoomParameters(config);
        if (header.ParameterCount != layout.Count) throw Bad($"Parameter count {header.ParameterCount} does not match the config ({layout.Count}).", 16);
        if (header.Tensors.Length != layout.All.Count || header.Tensors.Zip(layout.All).Any(p => p.First.Name != p.Second.Name || p.First.Rows != p.Second.Rows || p.First.Cols != p.Second.Cols || p.First.Offset != p.Second.Offset))
            throw Bad("The tensor table does not match the model layout this build uses.", 16);
        if (header.Step < 0 || header.LossHistoryCount is < 0 or > MaxHistory || header.ValidationHistoryCount is < 0 or > MaxHistory)
            throw Bad("Step or history counts are out of range.", 16);
        long expectedLength = 16L + headerLength + 3L * 4 * layout.Count + 4L * header.LossHistoryCount + 8L * header.ValidationHistoryCount + Blake3Hash.Size;
        if (expectedLength != bytes.Length) throw Bad($"The file is {bytes.Length} bytes; its header describes {expectedLength}.", 16);
        var random = new ulong[4];
        if (header.Random.Length != 4) throw Bad("The RNG state must have four words.", 16);
        for (int i = 0; i < 4; i++)
            if (!ulong.TryParse(header.Random[i], System.Globalization.NumberStyles.HexNumber, null, out random[i])) throw Bad("The RNG state is not hexadecimal.", 16);
        int offset = 16 + (int)headerLength;
        float[] Floats(int count)
        {
            var result = new float[count];
            bytes.AsSpan(offset, count * 4).CopyTo(MemoryMarshal.AsBytes(result.AsSpan()));
            offset += count * 4;
            return result;
        }
        var parameters = Floats(layout.Count);
        var m = Floats(layout.Count);
        var v = Floats(layout.Count);
        var losses = Floats(header.LossHistoryCount);
        var validation = new LoomValidationPoint[header.ValidationHistoryCount];
        for (int i = 0; i < validation.Length; i++, offset += 8)
            validation[i] = new LoomValidationPoint(BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset)), BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(offset + 4)));
        try { _ = new CharTokenizer(header.Vocabulary); }
        catch (DreamException e) { throw new DreamFormatException("LoomCheckpointInvalid", "The checkpoint's vocabulary is invalid: " + e.Message, 16, e); }
        if (header.Vocabulary.Distinct().Count() != header.Vocabulary.Length || !header.Vocabulary.SequenceEqual(header.Vocabulary.Order()))
            throw Bad("The vocabulary must be distinct code points in ascending order.", 16);
        return new LoomState(config, header.Training, header.Vocabulary, parameters, m, v, header.Step, random, losses, validation);
    }

    private static DreamFormatException Bad(string message, long offset) => new("LoomCheckpointInvalid", message, offset);

    private sealed class Header
    {
        public string? Format { get; set; }
        public LoomConfig? Config { get; set; }
        public LoomTrainingOptions? Training { get; set; }
        public int[]? Vocabulary { get; set; }
        public int Step { get; set; }
        public string[]? Random { get; set; }
        public int ParameterCount { get; set; }
        public int LossHistoryCount { get; set; }
        public int ValidationHistoryCount { get; set; }
        public TensorEntry[]? Tensors { get; set; }
    }

    private sealed record TensorEntry(string Name, int Rows, int Cols, int Offset);
}
