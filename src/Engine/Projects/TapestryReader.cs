using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dreamwell.Sync;

namespace Dreamwell.Projects;

/// <summary>
/// Reads and validates tapestry.json against the rules of docs/tapestry.md (the JSON Schema there, plus the few
/// rules a schema cannot say: unique names and paths, no duplicate properties, the sync path rules). Bounded: at
/// most <see cref="MaxBytes"/>, <see cref="MaxDepth"/> levels, <see cref="MaxEntries"/> entries. Every problem is
/// reported with where it is ("$.signal.path: …"), not only the first.
/// </summary>
public static partial class TapestryReader
{
    public const int MaxBytes = 1 << 20;
    public const int MaxDepth = 16;
    public const int MaxEntries = 10_000;
    public const int MaxPortals = 256;
    public const int MaxPathLength = 1024;
    public const int MaxDescriptionLength = 1000;
    public const int MaxTitleLength = 200;

    private static readonly string[] TopLevel = ["tapestry", "name", "description", "owner", "created", "signal", "portals", "entries"];
    private static readonly string[] SignalProperties = ["name", "path"];
    private static readonly string[] PortalProperties = ["name", "path"];
    private static readonly string[] EntryProperties = ["path", "kind", "title", "blake3"];

    /// <summary>The tapestry of a project folder; throws <see cref="ProjectErrors.TapestryInvalid"/> listing every problem.</summary>
    public static Tapestry Read(string projectFolder)
    {
        var path = Path.Combine(projectFolder, Tapestry.FileName);
        var (tapestry, problems) = Check(ReadBounded(path));
        if (tapestry is null)
            throw new DreamFormatException(ProjectErrors.TapestryInvalid, $"'{path}' is not a valid tapestry: {string.Join("; ", problems.Take(10))}{(problems.Count > 10 ? $"; and {problems.Count - 10} more" : "")}.");
        return tapestry;
    }

    /// <summary>The file's bytes, refusing a missing file (<see cref="ProjectErrors.NotFound"/>) or one over <see cref="MaxBytes"/>.</summary>
    public static byte[] ReadBounded(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
            throw new DreamException(ProjectErrors.NotFound, DreamErrorKind.NotFound,
                $"No {Tapestry.FileName} in '{info.DirectoryName}': it is not a Dreamwell project (create one with New-DreamProject).");
        if (info.Length > MaxBytes)
            throw new DreamFormatException(ProjectErrors.TapestryTooLarge, $"'{path}' is {info.Length} bytes; a tapestry is at most {MaxBytes}.");
        return File.ReadAllBytes(path);
    }

    /// <summary>Validates a document: the tapestry when it is valid, otherwise null and every problem found.</summary>
    public static (Tapestry? Tapestry, IReadOnlyList<string> Problems) Check(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxBytes) return (null, [$"$: the document is {json.Length} bytes; a tapestry is at most {MaxBytes}"]);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            return (null, [$"$: not JSON ({e.Message})"]);
        }
        using (document)
        {
            var checker = new Checker();
            var tapestry = checker.Root(document.RootElement);
            return checker.Problems.Count == 0 ? (tapestry, checker.Problems) : (null, checker.Problems);
        }
    }

    public static bool IsQuantumId(string text) => QuantumIdRegex().IsMatch(text);

    public static bool IsRelativePath(string path, out string? why)
    {
        if (path.Length > MaxPathLength) { why = $"it is longer than {MaxPathLength} characters"; return false; }
        return SyncPath.IsValid(path, out why);
    }

    private sealed class Checker
    {
        public List<string> Problems { get; } = [];

        public Tapestry? Root(JsonElement root)
        {
            var props = Properties(root, "$", TopLevel);
            if (props is null) return null;
            Version(props);
            var name = Text(props, "name", "$", required: true, n => ProjectName.IsValid(n) ? null : NameRule);
            var description = Text(props, "description", "$", required: false, d => d.Length <= MaxDescriptionLength ? null : $"is longer than {MaxDescriptionLength} characters");
            var owner = Text(props, "owner", "$", required: true, o => IsQuantumId(o) ? null : "is not a QuantumId (16 lowercase hex digits, as Get-DreamIdentity shows)");
            var created = Created(props);
            var signal = Signal(props);
            var portals = Portals(props);
            var entries = Entries(props);
            return Problems.Count == 0
                ? new Tapestry(name!, owner!, created!.Value, signal!, portals, entries, description)
                : null;
        }

        private void Version(Dictionary<string, JsonElement> props)
        {
            if (!props.TryGetValue("tapestry", out var version))
                Add("$", $"'tapestry' is required (the schema version, {Tapestry.SchemaVersion})");
            else if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var number))
                Add("$.tapestry", $"must be the number {Tapestry.SchemaVersion}, not {Describe(version)}");
            else if (number != Tapestry.SchemaVersion)
                Add("$.tapestry", number > Tapestry.SchemaVersion
                    ? $"is version {number}, written by a newer Dreamwell; this one reads version {Tapestry.SchemaVersion}"
                    : $"must be {Tapestry.SchemaVersion}, not {number}");
        }

        private DateTimeOffset? Created(Dictionary<string, JsonElement> props)
        {
            DateTimeOffset parsed = default;
            var text = Text(props, "created", "$", required: true, c =>
                TimestampRegex().IsMatch(c) && DateTimeOffset.TryParse(c, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out parsed)
                    ? null
                    : "is not an RFC 3339 UTC or offset timestamp such as 2026-11-25T21:46:42Z");
            return text is null ? null : parsed;
        }

        private TapestrySignal? Signal(Dictionary<string, JsonElement> props)
        {
            if (!props.TryGetValue("signal", out var element)) { Add("$", "'signal' is required ({ \"name\": …, \"path\": \"signal\" })"); return null; }
            var signal = Properties(element, "$.signal", SignalProperties);
            if (signal is null) return null;
            var name = Text(signal, "name", "$.signal", required: true, n => ProjectName.IsValid(n) ? null : NameRule);
            var path = Text(signal, "path", "$.signal", required: true, PathRule);
            return name is null || path is null ? null : new TapestrySignal(name, path);
        }

        private List<TapestryPortal> Portals(Dictionary<string, JsonElement> props)
        {
            var portals = new List<TapestryPortal>();
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (item, where) in Items(props, "portals", MaxPortals))
            {
                var portal = Properties(item, where, PortalProperties);
                if (portal is null) continue;
                var name = Text(portal, "name", where, required: true, n => ProjectName.IsValid(n) ? null : NameRule);
                var path = Text(portal, "path", where, required: true, PathRule);
                if (name is not null && !names.Add(name)) Add($"{where}.name", $"'{name}' names another portal too (names are unique, ignoring case)");
                if (name is not null && path is not null) portals.Add(new TapestryPortal(name, path));
            }
            return portals;
        }

        private List<TapestryEntry> Entries(Dictionary<string, JsonElement> props)
        {
            var entries = new List<TapestryEntry>();
            var paths = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (item, where) in Items(props, "entries", MaxEntries))
            {
                var entry = Properties(item, where, EntryProperties);
                if (entry is null) continue;
                var path = Text(entry, "path", where, required: true, PathRule);
                var kind = Text(entry, "kind", where, required: true, k => TapestryEntry.Kinds.Contains(k) ? null : $"must be one of {string.Join(", ", TapestryEntry.Kinds)}");
                var title = Text(entry, "title", where, required: false, t => t.Length <= MaxTitleLength ? null : $"is longer than {MaxTitleLength} characters");
                var blake3 = Text(entry, "blake3", where, required: false, h => Blake3Regex().IsMatch(h) ? null : "is not a BLAKE3 hash (64 lowercase hex digits)");
                if (path is not null && !paths.Add(path)) Add($"{where}.path", $"'{path}' is listed twice");
                if (path is not null && kind is not null) entries.Add(new TapestryEntry(path, kind, title, blake3));
            }
            return entries;
        }

        private IEnumerable<(JsonElement Item, string Where)> Items(Dictionary<string, JsonElement> props, string name, int max)
        {
            if (!props.TryGetValue(name, out var array)) yield break;
            if (array.ValueKind != JsonValueKind.Array) { Add($"$.{name}", $"must be an array, not {Describe(array)}"); yield break; }
            var count = array.GetArrayLength();
            if (count > max) { Add($"$.{name}", $"has {count} items; at most {max}"); yield break; }
            var index = 0;
            foreach (var item in array.EnumerateArray()) yield return (item, $"$.{name}[{index++}]");
        }

        private Dictionary<string, JsonElement>? Properties(JsonElement element, string where, string[] known)
        {
            if (element.ValueKind != JsonValueKind.Object) { Add(where, $"must be an object, not {Describe(element)}"); return null; }
            var props = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                if (!props.TryAdd(property.Name, property.Value))
                    Add(where, $"has '{Show(property.Name)}' twice");
                else if (!known.Contains(property.Name) && !property.Name.StartsWith("x-", StringComparison.Ordinal))
                    Add($"{where}", $"'{Show(property.Name)}' is not a tapestry property here (known: {string.Join(", ", known)}; extensions start with 'x-')");
            }
            return props;
        }

        private string? Text(Dictionary<string, JsonElement> props, string name, string where, bool required, Func<string, string?> rule)
        {
            if (!props.TryGetValue(name, out var element))
            {
                if (required) Add(where, $"'{name}' is required");
                return null;
            }
            if (element.ValueKind != JsonValueKind.String) { Add($"{where}.{name}", $"must be a string, not {Describe(element)}"); return null; }
            var value = element.GetString()!;
            if (rule(value) is { } why) { Add($"{where}.{name}", $"'{Show(value)}' {why}"); return null; }
            return value;
        }

        private void Add(string where, string what) => Problems.Add($"{where}: {what}");
    }

    private const string NameRule = "is not a name (1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit)";

    private static string? PathRule(string path) =>
        IsRelativePath(path, out var why) ? null : $"is not a relative path inside the project ({why})";

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {Show(element.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        _ => "null",
    };

    /// <summary>Text from the file, shortened and with control characters shown as '?', for messages.</summary>
    private static string Show(string text)
    {
        var shown = text.Length > 60 ? text[..60] + "…" : text;
        return string.Create(shown.Length, shown, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++) span[i] = char.IsControl(source[i]) ? '?' : source[i];
        });
    }

    [GeneratedRegex("^[0-9a-f]{16}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex QuantumIdRegex();

    [GeneratedRegex("^[0-9a-f]{64}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Blake3Regex();

    [GeneratedRegex("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,7})?(Z|[+-][0-9]{2}:[0-9]{2})\\z", RegexOptions.CultureInvariant)]
    private static partial Regex TimestampRegex();
}
