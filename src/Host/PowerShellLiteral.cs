using System.Text;

namespace Dreamwell.Host;

/// <summary>Turns user text into PowerShell source that can only ever be that text.</summary>
internal static class PowerShellLiteral
{
    /// <summary>
    /// A single-quoted literal: nothing inside is expanded. PowerShell also treats the typographic single
    /// quotes (U+2018..U+201B) as quote characters, so those are doubled as well.
    /// </summary>
    public static string Quote(string text)
    {
        var sb = new StringBuilder(text.Length + 2).Append('\'');
        foreach (var c in text)
        {
            sb.Append(c);
            if (c is '\'' or '\u2018' or '\u2019' or '\u201A' or '\u201B') sb.Append(c);
        }
        return sb.Append('\'').ToString();
    }
}
