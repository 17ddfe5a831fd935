using System.Text.Json;
using System.Text.Json.Serialization;
using Dreamwell.Chain;
using Dreamwell.Identity;

namespace Dreamwell;

/// <summary>Issues receipts (one seal-chain entry each) and reads them back from the chain.</summary>
public static class ReceiptBook
{
    private const string ReceiptKind = "receipt";

    private sealed record Payload(
        [property: JsonPropertyName("kind")] string Kind,
        [property: JsonPropertyName("path")] string? Path,
        [property: JsonPropertyName("bytesIn")] long BytesIn,
        [property: JsonPropertyName("bytesOut")] long BytesOut,
        [property: JsonPropertyName("integrity")] string Integrity,
        [property: JsonPropertyName("verifications")] int Verifications,
        [property: JsonPropertyName("durationTicks")] long DurationTicks);

    public static DreamReceipt Issue(DreamHome home, IdentitySigner signer, ReceiptDraft draft)
    {
        var payload = JsonSerializer.Serialize(new Payload(ReceiptKind, draft.Path, draft.BytesIn, draft.BytesOut,
            draft.Integrity.ToString(), draft.Verifications, draft.Duration.Ticks));
        var subjects = new[] { HashBytes(draft.InputHash), HashBytes(draft.OutputHash) };
        var entry = SealChain.Append(home, signer, draft.Operation, subjects, payload);
        return FromEntry(entry, signer.Identity.QuantumId)!;
    }

    public static IReadOnlyList<DreamReceipt> Read(DreamHome home, int? last = null)
    {
        var signer = IdentityStore.Exists(home) ? IdentityStore.Load(home).QuantumId : "";
        var receipts = SealChain.Read(home).Select(e => FromEntry(e, signer)).OfType<DreamReceipt>().ToList();
        return last is { } n && n < receipts.Count ? receipts.GetRange(receipts.Count - n, n) : receipts;
    }

    private static DreamReceipt? FromEntry(SealEntry entry, string signer)
    {
        Payload? payload;
        try { payload = JsonSerializer.Deserialize<Payload>(entry.Payload); }
        catch (JsonException) { return null; }
        if (payload?.Kind != ReceiptKind || entry.Subjects.Count != 2) return null;
        return new DreamReceipt
        {
            Operation = entry.Operation,
            Path = payload.Path,
            InputHash = entry.Subjects[0],
            OutputHash = entry.Subjects[1],
            BytesIn = payload.BytesIn,
            BytesOut = payload.BytesOut,
            Integrity = Enum.TryParse<IntegrityVerdict>(payload.Integrity, out var v) ? v : IntegrityVerdict.NotChecked,
            Verifications = payload.Verifications,
            Duration = TimeSpan.FromTicks(payload.DurationTicks),
            ChainIndex = entry.Index,
            Signature = entry.Signature,
            EntryHash = entry.Hash,
            Signer = signer,
            Time = entry.Time,
        };
    }

    private static byte[] HashBytes(string hex)
    {
        if (hex.Length != 64) throw new DreamException("BadHash", DreamErrorKind.InvalidArgument, $"'{hex}' is not a 32-byte hex hash.");
        return Convert.FromHexString(hex);
    }
}
