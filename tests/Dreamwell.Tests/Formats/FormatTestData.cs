using Xunit;
using System.Text;

namespace Dreamwell.Tests.Formats;

/// <summary>A temp folder per test, removed afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dreamwell-formats-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, byte[] bytes)
    {
        var path = File(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Everything under the folder except the named paths, for "nothing left behind" checks.</summary>
    public string[] EntriesExcept(params string[] keep) =>
        Directory.EnumerateFileSystemEntries(Path, "*", SearchOption.AllDirectories)
            .Where(p => !keep.Contains(p)).ToArray();

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Deterministic test inputs: random bytes and English-like text, from a fixed seed.</summary>
public static class FormatTestData
{
    public static byte[] Random(int size, int seed = 1)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static readonly string[] Words =
        ["the", "dream", "well", "of", "and", "shall", "thou", "king", "night", "river", "stone", "light", "to", "a", "in",
         "my", "lord", "sweet", "heart", "time", "never", "gold", "crown", "with", "that", "love", "death", "speak", "hath"];

    public static byte[] Text(int size, int seed = 2)
    {
        var random = new Random(seed);
        var builder = new StringBuilder(size + 64);
        while (builder.Length < size)
        {
            builder.Append(Words[random.Next(Words.Length)]);
            builder.Append(random.Next(12) == 0 ? ".\n" : " ");
        }
        return Encoding.ASCII.GetBytes(builder.ToString(0, size));
    }

    public static byte[] Make(string kind, int size) => kind == "random" ? Random(size) : Text(size);
}

/// <summary>A fact that is skipped, with the reason shown, when a command-line tool is not on PATH.</summary>
public sealed class RequiresToolFactAttribute : FactAttribute
{
    public RequiresToolFactAttribute(string tool)
    {
        if (FindTool(tool) is null) Skip = $"'{tool}' is not on PATH; install it (apt-get install -y {tool}) to run this interop test.";
    }

    public static string? FindTool(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);
}
