namespace Dreamwell.Formats;

// Placeholder until the formats branch lands; the real facade replaces this file.
public static class DreamCodec
{
    public static DreamFormat? Detect(string path) => throw new NotImplementedException();
    public static PackResult Pack(string sourcePath, string destinationPath, DreamFormat format, PackOptions options, bool overwrite, IProgress<DreamProgress>? progress, CancellationToken ct) => throw new NotImplementedException();
    public static PackResult CreateDelta(string basePath, string targetPath, string destinationPath, PackOptions options, bool overwrite, IProgress<DreamProgress>? progress, CancellationToken ct) => throw new NotImplementedException();
    public static OpenResult Open(string containerPath, string destinationPath, string? basePath, bool overwrite, IProgress<DreamProgress>? progress, CancellationToken ct) => throw new NotImplementedException();
    public static VerifyResult Verify(string containerPath, IProgress<DreamProgress>? progress, CancellationToken ct) => throw new NotImplementedException();
    public static ContainerInfo Inspect(string containerPath) => throw new NotImplementedException();
    public static string DefaultExtension(DreamFormat f) => throw new NotImplementedException();
}
