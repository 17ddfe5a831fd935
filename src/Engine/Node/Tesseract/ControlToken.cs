using System.Security.Cryptography;
using System.Text;

namespace Dreamwell.Node;

/// <summary>The local control secret in $DREAMWELL_HOME/control.token (0600), like Syncthing's API key.</summary>
public static class ControlToken
{
    public const string FileName = "control.token";
    private const int MaxTokenChars = 256;

    public static string PathIn(DreamHome home) => Path.Combine(home.Path, FileName);

    /// <summary>A fresh 256-bit token for each node start, so a token from an old run is worthless.</summary>
    public static string Create(DreamHome home)
    {
        home.Ensure();
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        AtomicFile.WriteAllBytes(PathIn(home), Encoding.ASCII.GetBytes(token), overwrite: true, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return token;
    }

    public static string Read(DreamHome home)
    {
        var path = PathIn(home);
        if (!File.Exists(path))
            throw new DreamException(TesseractErrors.NotRunning, DreamErrorKind.NotFound, $"No control token in '{home.Path}': no tesseract runs for this home. Start one with Start-Tesseract.");
        using var reader = new StreamReader(path, Encoding.ASCII);
        var buffer = new char[MaxTokenChars + 1];
        var read = reader.ReadBlock(buffer, 0, buffer.Length);
        return new string(buffer, 0, Math.Min(read, MaxTokenChars)).Trim();
    }

    public static bool Matches(string expected, string? presented)
    {
        if (presented is null) return false;
        // FixedTimeEquals is constant-time for equal lengths; tokens are fixed-length so the length reveals nothing.
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(presented));
    }
}
