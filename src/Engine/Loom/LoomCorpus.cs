using System.Text;

namespace Dreamwell.Loom;

/// <summary>Reads a training text from one file or every text file of a folder (sorted by path, so the order is stable).</summary>
public static class LoomCorpus
{
    public const long MaxBytes = 1L << 30;
    private static readonly string[] TextExtensions = [".txt", ".md", ".text", ".markdown", ".rst", ".csv", ".ps1", ".cs", ".json", ".xml"];

    public static string Load(string path, CancellationToken cancellationToken = default)
    {
        if (File.Exists(path)) return ReadBounded([path], cancellationToken);
        if (Directory.Exists(path))
        {
            var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(f => TextExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal).ToArray();
            if (files.Length == 0)
                throw new DreamException("LoomEmptyCorpus", DreamErrorKind.InvalidArgument, $"The folder '{path}' has no text files ({string.Join(" ", TextExtensions)}).");
            return ReadBounded(files, cancellationToken);
        }
        throw new DreamException("LoomCorpusNotFound", DreamErrorKind.NotFound, $"No corpus file or folder at '{path}'.");
    }

    private static string ReadBounded(string[] files, CancellationToken cancellationToken)
    {
        long total = 0;
        var sb = new StringBuilder();
        foreach (var f in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            total += new FileInfo(f).Length;
            if (total > MaxBytes)
                throw new DreamException("LoomCorpusTooLarge", DreamErrorKind.LimitExceeded, $"The corpus exceeds {MaxBytes} bytes.");
            var text = File.ReadAllText(f, new UTF8Encoding(false, throwOnInvalidBytes: false));
            sb.Append(text);
            if (files.Length > 1 && text.Length > 0 && text[^1] != '\n') sb.Append('\n');
        }
        if (sb.Length == 0)
            throw new DreamException("LoomEmptyCorpus", DreamErrorKind.InvalidArgument, "The corpus is empty.");
        return sb.ToString();
    }
}
