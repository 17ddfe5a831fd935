namespace Dreamwell.Formats;

/// <summary>
/// The one entry point the cmdlets use for the self-verifying containers (DRFL, QPRT, QDLT, FRCL).
/// Every reader checks hashes before it trusts a byte and writes only through a temp file or folder that is
/// renamed into place once everything verified. Formats are specified byte by byte in docs/formats.md.
/// </summary>
public static class DreamCodec
{
    /// <summary>The format a file claims by its 4-byte magic, or null when it is none of ours (or shorter than 4 bytes).</summary>
    public static DreamFormat? Detect(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) return null;
        using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        Span<byte> magic = stackalloc byte[4];
        return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 ? Envelope.FromMagic(magic) : null;
    }

    public static string DefaultExtension(DreamFormat f) => f switch
    {
        DreamFormat.Dreamfile => ".dreamfile",
        DreamFormat.QPort => ".qport",
        DreamFormat.Delta => ".qdlt",
        DreamFormat.Fractal => ".fractal",
        DreamFormat.Fibo => ".fibo",
        _ => throw new ArgumentOutOfRangeException(nameof(f)),
    };

    /// <summary>Dreamfile and QPort take a file; Fractal takes a file or a folder. Delta has its own <see cref="CreateDelta"/>.</summary>
    public static PackResult Pack(string sourcePath, string destinationPath, DreamFormat format, PackOptions options, bool overwrite, IProgress<DreamProgress>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        return format switch
        {
            DreamFormat.Dreamfile => DreamfileFormat.Pack(sourcePath, destinationPath, options, overwrite, progress, ct),
            DreamFormat.QPort => QPortFormat.Pack(sourcePath, destinationPath, options, overwrite, progress, ct),
            DreamFormat.Fractal => FractalFormat.Pack(sourcePath, destinationPath, options, overwrite, progress, ct),
            DreamFormat.Delta => throw new DreamException("DeltaNeedsBase", DreamErrorKind.InvalidArgument, "A delta is made from a base and a target: use CreateDelta."),
            _ => throw Unsupported(format),
        };
    }

    public static PackResult CreateDelta(string basePath, string targetPath, string destinationPath, PackOptions options, bool overwrite, IProgress<DreamProgress>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        return DeltaFormat.Create(basePath, targetPath, destinationPath, options, overwrite, progress, ct);
    }

    /// <summary>
    /// Restores a container. Single-file formats write <paramref name="destinationPath"/> (or the stored name inside it
    /// when it is an existing folder); Fractal restores into the folder <paramref name="destinationPath"/>.
    /// A delta needs <paramref name="basePath"/>.
    /// </summary>
    public static OpenResult Open(string containerPath, string destinationPath, string? basePath, bool overwrite, IProgress<DreamProgress>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(destinationPath);
        var format = DetectOrThrow(containerPath);
        return Rethrow(() => format switch
        {
            DreamFormat.Dreamfile => DreamfileFormat.Open(containerPath, destinationPath, overwrite, progress, ct),
            DreamFormat.QPort => QPortFormat.Open(containerPath, destinationPath, overwrite, progress, ct),
            DreamFormat.Delta => DeltaFormat.Open(containerPath, destinationPath, basePath
                ?? throw new DreamException("BaseRequired", DreamErrorKind.InvalidArgument, "Opening a delta needs the base file it was made against."), overwrite, progress, ct),
            DreamFormat.Fractal => FractalFormat.Open(containerPath, destinationPath, overwrite, progress, ct),
            _ => throw Unsupported(format),
        });
    }

    /// <summary>
    /// Checks every hash and bound without writing anything. Bad data is reported in the result, never thrown.
    /// A delta is verified without its base: everything but the final target hash.
    /// </summary>
    public static VerifyResult Verify(string containerPath, IProgress<DreamProgress>? progress, CancellationToken ct)
    {
        var full = Path.GetFullPath(containerPath);
        DreamFormat? format = null;
        try
        {
            format = DetectOrThrow(containerPath);
            var result = Rethrow(() => format switch
            {
                DreamFormat.Dreamfile => DreamfileFormat.Open(containerPath, null, false, progress, ct),
                DreamFormat.QPort => QPortFormat.Open(containerPath, null, false, progress, ct),
                DreamFormat.Delta => DeltaFormat.Open(containerPath, null, null, false, progress, ct),
                DreamFormat.Fractal => FractalFormat.Open(containerPath, null, false, progress, ct),
                _ => throw Unsupported(format.Value),
            });
            return new VerifyResult(full, true, format, null, null, null, result.Verifications);
        }
        catch (DreamException e)
        {
            return new VerifyResult(full, false, format, e.Message, e.ErrorId, (e as DreamFormatException)?.Offset, 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new VerifyResult(full, false, format, e.Message, "ReadFailed", null, 0);
        }
    }

    /// <summary>Header facts (sizes, hashes, entries) after verifying the header hash; the payload is not read.</summary>
    public static ContainerInfo Inspect(string containerPath)
    {
        var format = DetectOrThrow(containerPath);
        return Rethrow(() => format switch
        {
            DreamFormat.Dreamfile => DreamfileFormat.Inspect(containerPath),
            DreamFormat.QPort => QPortFormat.Inspect(containerPath),
            DreamFormat.Delta => DeltaFormat.Inspect(containerPath),
            DreamFormat.Fractal => FractalFormat.Inspect(containerPath),
            _ => throw Unsupported(format),
        });
    }

    /// <summary>Opens a .qport for chunk-by-chunk reading and verification (resumable transfer).</summary>
    public static QPortReader OpenQPort(string containerPath) => Rethrow(() => QPortReader.Open(containerPath));

    /// <summary>The BLAKE3 (hex) of the base file a delta must be applied to.</summary>
    public static string DeltaBaseHash(string containerPath) => Rethrow(() => DeltaFormat.BaseHash(containerPath));

    private static DreamFormat DetectOrThrow(string containerPath)
    {
        var full = Path.GetFullPath(containerPath);
        if (!File.Exists(full))
            throw new DreamException("ContainerNotFound", DreamErrorKind.NotFound, $"'{full}' does not exist.");
        if (new FileInfo(full).Length < 4)
            throw new DreamFormatException("Truncated", $"'{full}' is shorter than a 4-byte magic.", 0);
        return Detect(full) ?? throw new DreamFormatException("BadMagic", $"'{full}' is not a Dreamwell container (unknown magic).", 0);
    }

    private static DreamException Unsupported(DreamFormat format) =>
        new("UnsupportedFormat", DreamErrorKind.InvalidOperation, $"{format} containers are not handled by DreamCodec (see docs/identity.md for FIBO).");

    /// <summary>Parallel decoding wraps failures in AggregateException; callers see the DreamException itself.</summary>
    private static T Rethrow<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (AggregateException e) when (e.Flatten().InnerExceptions.OfType<DreamException>().FirstOrDefault() is { } inner)
        {
            throw inner;
        }
    }
}
