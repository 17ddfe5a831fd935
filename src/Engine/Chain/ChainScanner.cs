using System.Buffers.Binary;
using Dreamwell.Identity;

namespace Dreamwell.Chain;

/// <summary>Structural parse of seal.chain, then link-by-link verification.</summary>
internal static class ChainScanner
{
    internal sealed record Record(SealEntry Entry, byte[] Unsigned, byte[] Signature, byte[] PreviousHash, byte[] Hash);

    internal sealed record ScanResult(byte[] OwnerKey, List<Record> Records, ChainProblem StopProblem, string? StopDetail, bool HeaderValid);

    public static ScanResult Scan(string path, long maxBytes)
    {
        var info = new FileInfo(path);
        if (info.Length > maxBytes)
            throw new DreamException("ChainTooLarge", DreamErrorKind.LimitExceeded, $"'{path}' is larger than {maxBytes} bytes.");
        var data = File.ReadAllBytes(path);
        if (data.Length < SealRecordCodec.FileHeaderBytes || !data.AsSpan(0, 4).SequenceEqual(SealRecordCodec.FileMagic)
            || BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(4)) != SealRecordCodec.Version
            || BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(6)) != 0)
            return new ScanResult(new byte[32], new List<Record>(), ChainProblem.BadHeader, "The file does not start with a SEAL version 1 header (reserved bytes zero).", false);
        var owner = data.AsSpan(8, 32).ToArray();
        var records = new List<Record>();
        var at = SealRecordCodec.FileHeaderBytes;
        while (at < data.Length)
        {
            if (data.Length - at < 4)
                return new ScanResult(owner, records, ChainProblem.Truncated, $"{data.Length - at} stray bytes at offset {at}.", true);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at));
            if (length > SealRecordCodec.MaxRecordBytes || length < 8 + 32 + 8 + 2 + 1 + 1 + 4 + 64)
                return new ScanResult(owner, records, ChainProblem.Malformed, $"Record length {length} at offset {at} is out of bounds.", true);
            if (at + 4 + (long)length > data.Length)
                return new ScanResult(owner, records, ChainProblem.Truncated, $"The record at offset {at} runs past the end of the file.", true);
            try
            {
                var (entry, unsignedBody, signature, previous, hash) = SealRecordCodec.Parse(data.AsSpan(at + 4, (int)length), at + 4);
                records.Add(new Record(entry with { FileOffset = at }, unsignedBody, signature, previous, hash));
            }
            catch (DreamFormatException e)
            {
                return new ScanResult(owner, records, ChainProblem.Malformed, e.Message, true);
            }
            at += 4 + (int)length;
        }
        return new ScanResult(owner, records, ChainProblem.None, null, true);
    }

    public static ChainVerdict Verify(string path, ScanResult scan)
    {
        var records = scan.Records;
        var verifications = 0;
        ChainVerdict Bad(long index, ChainProblem problem, string detail) =>
            new(path, false, records.Count, index, problem, detail, records.Count > 0 ? records[^1].Entry.Hash : SealChain.Zero, verifications);

        if (!scan.HeaderValid) return Bad(0, ChainProblem.BadHeader, scan.StopDetail!);
        var expectedPrevious = new byte[32];
        var seenIndexes = new HashSet<long>();
        for (var position = 0; position < records.Count; position++)
        {
            var record = records[position];
            var entry = record.Entry;
            if (entry.Index != position)
            {
                if (seenIndexes.Contains(entry.Index))
                    return Bad(entry.Index, ChainProblem.Fork, $"Index {entry.Index} appears twice: two histories claim the same position.");
                var laterHasExpected = records.Skip(position + 1).Any(r => r.Entry.Index == position);
                return laterHasExpected
                    ? Bad(position, ChainProblem.Reordered, $"Entry {entry.Index} stands where entry {position} belongs.")
                    : Bad(position, ChainProblem.Truncated, $"Entries from {position} to {entry.Index - 1} are missing from the middle of the chain.");
            }
            seenIndexes.Add(entry.Index);
            verifications++;
            if (!IdentitySigner.Verify(scan.OwnerKey, SealRecordCodec.SignedMessage(record.Unsigned), record.Signature))
                return Bad(position, ChainProblem.BadSignature, $"Entry {position} does not carry the owner's signature over its content: it was edited or forged.");
            if (!record.PreviousHash.AsSpan().SequenceEqual(expectedPrevious))
            {
                var pointsEarlier = records.Take(position - 1).Any(r => r.Hash.AsSpan().SequenceEqual(record.PreviousHash));
                return pointsEarlier
                    ? Bad(position, ChainProblem.Fork, $"Entry {position} continues from an earlier entry, not from entry {position - 1}: a fork.")
                    : Bad(position, ChainProblem.BrokenLink, $"Entry {position} does not link to the hash of entry {position - 1}.");
            }
            expectedPrevious = record.Hash;
        }
        if (scan.StopProblem != ChainProblem.None)
            return Bad(records.Count, scan.StopProblem, scan.StopDetail!);
        return new ChainVerdict(path, true, records.Count, null, ChainProblem.None, null,
            records.Count > 0 ? records[^1].Entry.Hash : SealChain.Zero, verifications);
    }
}
