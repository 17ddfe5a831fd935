using System.Buffers.Binary;
using Dreamwell.Identity;

namespace Dreamwell.Chain;

/// <summary>
/// The append-only seal chain in a <see cref="DreamHome"/>. Records are appended and fsynced (an
/// append-only log, not temp+rename: rewriting it per entry would be quadratic); the small signed head
/// file is written atomically after each append and lets verification notice a cut-off tail.
/// </summary>
public static class SealChain
{
    private static ReadOnlySpan<byte> HeadDomain => "dreamwell-seal-head-v1"u8;
    private const int HeadBytes = 8 + 8 + 32 + 64;
    private const long MaxChainBytes = 1L << 30;

    public static SealEntry Append(DreamHome home, IdentitySigner signer, string operation, IReadOnlyList<byte[]> subjects, string payload)
    {
        home.Ensure();
        using var guard = ChainLock.Acquire(home);
        var publicKey = signer.Identity.PublicKey;
        if (!File.Exists(home.ChainFile))
            AtomicFile.WriteAllBytes(home.ChainFile, SealRecordCodec.FileHeader(publicKey), overwrite: false,
                UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var (count, lastHash) = CurrentTip(home, publicKey);
        var unsignedBody = SealRecordCodec.UnsignedBody(count, lastHash, DateTimeOffset.UtcNow, operation, subjects, payload);
        var signature = signer.Sign(SealRecordCodec.SignedMessage(unsignedBody));
        var body = new byte[unsignedBody.Length + signature.Length];
        unsignedBody.CopyTo(body, 0);
        signature.CopyTo(body, unsignedBody.Length);

        long offset;
        using (var stream = new FileStream(home.ChainFile, FileMode.Append, FileAccess.Write, FileShare.Read))
        {
            offset = stream.Position;
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)body.Length);
            stream.Write(length);
            stream.Write(body);
            stream.Flush(flushToDisk: true);
        }
        var (entry, _, _, _, hash) = SealRecordCodec.Parse(body, offset + 4);
        WriteHead(home, signer, count + 1, new FileInfo(home.ChainFile).Length, hash);
        return entry with { FileOffset = offset };
    }

    /// <summary>All entries in order (structurally parsed; use <see cref="Verify"/> to check them).</summary>
    public static IReadOnlyList<SealEntry> Read(DreamHome home)
    {
        if (!File.Exists(home.ChainFile)) return Array.Empty<SealEntry>();
        var scan = ChainScanner.Scan(home.ChainFile, MaxChainBytes);
        return scan.Records.Select(r => r.Entry).ToList();
    }

    public static ChainVerdict Verify(DreamHome home)
    {
        if (!File.Exists(home.ChainFile))
            return new ChainVerdict(home.ChainFile, true, 0, null, ChainProblem.None, "No seal chain yet.", Zero, 0);
        var scan = ChainScanner.Scan(home.ChainFile, MaxChainBytes);
        var verdict = ChainScanner.Verify(home.ChainFile, scan);
        if (!verdict.IsValid) return verdict;
        var head = ReadHead(home, scan.OwnerKey);
        if (head is { } h)
        {
            if (h.Count > verdict.Length)
                return verdict with { IsValid = false, FirstBadIndex = verdict.Length, Problem = ChainProblem.TailTruncated,
                    Detail = $"The signed head says {h.Count} entries but the chain holds {verdict.Length}: entries were cut off the end." };
            if (h.Count == verdict.Length && h.Hash != verdict.HeadHash)
                return verdict with { IsValid = false, FirstBadIndex = Math.Max(0, verdict.Length - 1), Problem = ChainProblem.Fork,
                    Detail = "The last entry differs from the one the signed head names: the chain was replaced or forked." };
        }
        return verdict;
    }

    public static string OwnerPublicKeyHex(DreamHome home) =>
        File.Exists(home.ChainFile) ? Convert.ToHexStringLower(ChainScanner.Scan(home.ChainFile, MaxChainBytes).OwnerKey) : "";

    /// <summary>Moves a chain aside (e.g. when its identity is replaced) so nothing is lost.</summary>
    public static string? Archive(DreamHome home, string suffix)
    {
        if (!File.Exists(home.ChainFile)) return null;
        using var guard = ChainLock.Acquire(home);
        var target = Path.Combine(home.Path, $"seal.{suffix}.chain");
        File.Move(home.ChainFile, target, overwrite: false);
        AtomicFile.TryDelete(home.ChainHeadFile);
        return target;
    }

    private static (long Count, byte[] LastHash) CurrentTip(DreamHome home, byte[] publicKey)
    {
        var length = new FileInfo(home.ChainFile).Length;
        var head = ReadHead(home, publicKey);
        if (head is { } h && h.FileLength == length) return (h.Count, Convert.FromHexString(h.Hash));

        // The head is missing or stale (e.g. a crash between append and head write): verify everything.
        var scan = ChainScanner.Scan(home.ChainFile, MaxChainBytes);
        if (!scan.OwnerKey.AsSpan().SequenceEqual(publicKey))
            throw new DreamException("ChainOwnerMismatch", DreamErrorKind.SecurityError,
                $"'{home.ChainFile}' belongs to another key; it cannot be extended by this identity.");
        var verdict = ChainScanner.Verify(home.ChainFile, scan);
        if (!verdict.IsValid)
            throw new DreamException("ChainBroken", DreamErrorKind.InvalidData,
                $"The seal chain is damaged at index {verdict.FirstBadIndex} ({verdict.Problem}); run Test-SealChain. Nothing was appended.");
        return (verdict.Length, Convert.FromHexString(verdict.HeadHash));
    }

    private sealed record Head(long Count, long FileLength, string Hash);

    private static Head? ReadHead(DreamHome home, byte[] publicKey)
    {
        if (!File.Exists(home.ChainHeadFile)) return null;
        var bytes = File.ReadAllBytes(home.ChainHeadFile);
        if (bytes.Length != HeadBytes) return null;
        var message = new byte[HeadDomain.Length + 48];
        HeadDomain.CopyTo(message);
        bytes.AsSpan(0, 48).CopyTo(message.AsSpan(HeadDomain.Length));
        if (!IdentitySigner.Verify(publicKey, message, bytes.AsSpan(48, 64))) return null;
        return new Head(BinaryPrimitives.ReadInt64LittleEndian(bytes), BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)),
            Convert.ToHexStringLower(bytes.AsSpan(16, 32)));
    }

    private static void WriteHead(DreamHome home, IdentitySigner signer, long count, long fileLength, byte[] hash)
    {
        var bytes = new byte[HeadBytes];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, count);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), fileLength);
        hash.CopyTo(bytes, 16);
        var message = new byte[HeadDomain.Length + 48];
        HeadDomain.CopyTo(message);
        bytes.AsSpan(0, 48).CopyTo(message.AsSpan(HeadDomain.Length));
        signer.Sign(message).CopyTo(bytes, 48);
        AtomicFile.WriteAllBytes(home.ChainHeadFile, bytes, overwrite: true, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    internal static string Zero => new('0', 64);
}
