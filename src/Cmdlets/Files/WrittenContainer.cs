using System.Diagnostics;
using Dreamwell.Formats;

namespace Dreamwell.Cmdlets;

/// <summary>
/// A receipt says Verified only when the container on disk was read back and every hash matched,
/// so packing is checked the same way opening is.
/// </summary>
internal static class WrittenContainer
{
    public sealed record Checked(PackResult Pack, VerifyResult Verify);

    public static Checked Check(PackResult result, IProgress<DreamProgress> progress, CancellationToken token)
    {
        var check = DreamCodec.Verify(result.OutputPath, progress, token);
        if (!check.IsValid)
            throw new DreamException("WrittenContainerInvalid", DreamErrorKind.InvalidData,
                $"'{result.OutputPath}' failed verification right after it was written: {check.FirstFailure}");
        return new Checked(result, check);
    }

    public static ReceiptDraft Receipt(string operation, Checked result, Stopwatch clock)
    {
        var pack = result.Pack;
        return new ReceiptDraft(operation, pack.OutputPath, pack.InputHash, pack.OutputHash, pack.BytesIn, pack.BytesOut,
            IntegrityVerdict.Verified, pack.Verifications + result.Verify.Verifications, clock.Elapsed);
    }
}
