using System.Text;
using System.Text.RegularExpressions;

namespace Dreamwell.Sync;

/// <summary>
/// .dreamignore, with Syncthing's pattern rules: one pattern per line, "//" comments, the first matching pattern
/// decides, "!" re-includes, "(?i)" matches case-insensitively, a leading "/" anchors to the folder root (otherwise a
/// pattern matches at any depth), "*" and "?" stay within one path segment, "**" crosses segments, "[a-z]" and
/// "{a,b}" as in globs, "\" escapes the next character; a pattern that matches a directory also matches everything
/// under it. "#include" is not supported and is refused (docs/sync.md, "Ignore patterns").
/// </summary>
public sealed class IgnorePatterns
{
    public const int MaxFileBytes = 64 * 1024;
    public const int MaxPatterns = 4096;
    public const int MaxPatternLength = 1024;
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    private readonly IReadOnlyList<(Regex Regex, bool Include, string Text)> _rules;

    private IgnorePatterns(IReadOnlyList<(Regex, bool, string)> rules) => _rules = rules;

    public static readonly IgnorePatterns None = new([]);

    public int Count => _rules.Count;

    /// <summary>Reads root/.dreamignore, or <see cref="None"/> when there is none.</summary>
    public static IgnorePatterns Load(string root)
    {
        var path = Path.Combine(root, SyncPath.IgnoreFile);
        if (!File.Exists(path)) return None;
        var length = new FileInfo(path).Length;
        if (length > MaxFileBytes)
            throw new DreamException(SyncErrors.BadIgnorePattern, DreamErrorKind.LimitExceeded, $"'{path}' is {length} bytes; at most {MaxFileBytes}.");
        return Parse(File.ReadAllText(path, Encoding.UTF8));
    }

    public static IgnorePatterns Parse(string text)
    {
        var rules = new List<(Regex, bool, string)>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal)) continue;
            if (line.StartsWith("#include", StringComparison.Ordinal))
                throw Bad(lineNumber, line, "#include is not supported; put the patterns in this file");
            if (line.Length > MaxPatternLength) throw Bad(lineNumber, line, $"a pattern is at most {MaxPatternLength} characters");
            if (rules.Count == MaxPatterns) throw Bad(lineNumber, line, $"at most {MaxPatterns} patterns");
            var include = false;
            var ignoreCase = false;
            while (true)
            {
                if (line.StartsWith('!')) { include = true; line = line[1..]; }
                else if (line.StartsWith("(?i)", StringComparison.Ordinal)) { ignoreCase = true; line = line[4..]; }
                else if (line.StartsWith("(?d)", StringComparison.Ordinal)) line = line[4..];
                else break;
            }
            if (line.Length == 0) throw Bad(lineNumber, raw, "the pattern is empty");
            var anchored = line.StartsWith('/');
            var body = line.TrimStart('/').TrimEnd('/');
            if (body.Length == 0) throw Bad(lineNumber, raw, "the pattern matches nothing");
            var glob = GlobToRegex(body, lineNumber, raw);
            var pattern = (anchored ? "^" : "^(?:.*/)?") + glob + "(?:/.*)?$";
            var options = RegexOptions.CultureInvariant | RegexOptions.Singleline | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
            rules.Add((new Regex(pattern, options, MatchTimeout), include, raw.Trim()));
        }
        return new IgnorePatterns(rules);
    }

    /// <summary>True when the relative path (or a directory above it) is ignored; sync temp files always are.</summary>
    public bool IsIgnored(string path)
    {
        if (path.Split('/').Any(s => s.StartsWith(SyncPath.TempPrefix, StringComparison.Ordinal))) return true;
        foreach (var (regex, include, _) in _rules)
        {
            bool matched;
            try { matched = regex.IsMatch(path); }
            catch (RegexMatchTimeoutException) { matched = false; }
            if (matched) return !include;
        }
        return false;
    }

    private static string GlobToRegex(string glob, int lineNumber, string raw)
    {
        var regex = new StringBuilder();
        var braces = 0;
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            switch (c)
            {
                case '\\':
                    if (i + 1 == glob.Length) throw Bad(lineNumber, raw, "a trailing '\\' escapes nothing");
                    regex.Append(Regex.Escape(glob[++i].ToString()));
                    break;
                case '*' when i + 1 < glob.Length && glob[i + 1] == '*':
                    i++;
                    if (i + 1 < glob.Length && glob[i + 1] == '/') { i++; regex.Append("(?:.*/)?"); }
                    else regex.Append(".*");
                    break;
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '[':
                    var close = glob.IndexOf(']', i + 1);
                    if (close < 0) throw Bad(lineNumber, raw, "'[' has no closing ']'");
                    var set = glob[(i + 1)..close];
                    if (set.Length == 0) throw Bad(lineNumber, raw, "'[]' is empty");
                    var negated = set[0] == '!' || set[0] == '^';
                    if (negated) set = set[1..];
                    regex.Append('[').Append(negated ? "^/" : "").Append(set.Replace("\\", "\\\\").Replace("[", "\\[")).Append(']');
                    i = close;
                    break;
                case '{':
                    braces++;
                    regex.Append("(?:");
                    break;
                case '}' when braces > 0:
                    braces--;
                    regex.Append(')');
                    break;
                case ',' when braces > 0:
                    regex.Append('|');
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        if (braces != 0) throw Bad(lineNumber, raw, "'{' has no closing '}'");
        return regex.ToString();
    }

    private static DreamException Bad(int line, string text, string why) =>
        new(SyncErrors.BadIgnorePattern, DreamErrorKind.InvalidData, $"{SyncPath.IgnoreFile} line {line} ('{(text.Length > 60 ? text[..60] + "…" : text.Trim())}'): {why}.");
}
