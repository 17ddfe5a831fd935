using System.Text.Json;

namespace Dreamwell.Sync;

/// <summary>
/// A small JSON list of records in DREAMWELL_HOME (portals.json, signals.json): bounded on read, written atomically and
/// private (0600: it holds share keys), one writer at a time within the process.
/// </summary>
internal sealed class RecordFile<T>(string path, string what, Func<T, bool> isComplete, Func<T, T>? normalize = null) where T : class
{
    private const long MaxFileBytes = 4 << 20;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private static readonly object Gate = new();

    private sealed record Envelope(List<T> Items);

    public IReadOnlyList<T> All()
    {
        lock (Gate) return Load();
    }

    /// <summary>Reads, changes and writes the list under one lock; returns what <paramref name="change"/> returns.</summary>
    public TResult Change<TResult>(Func<List<T>, TResult> change)
    {
        lock (Gate)
        {
            var items = Load();
            var result = change(items);
            AtomicFile.Write(path, s => JsonSerializer.Serialize(s, new Envelope(items), Json), overwrite: true, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            return result;
        }
    }

    private List<T> Load()
    {
        if (!File.Exists(path)) return [];
        var length = new FileInfo(path).Length;
        if (length > MaxFileBytes) throw new DreamFormatException($"{what}TooLarge", $"'{path}' is {length} bytes; at most {MaxFileBytes}.");
        try
        {
            var file = JsonSerializer.Deserialize<Envelope>(File.ReadAllBytes(path), Json);
            return file?.Items?.Where(i => i is not null && isComplete(i)).Select(i => normalize is null ? i : normalize(i)).ToList() ?? [];
        }
        catch (JsonException e)
        {
            throw new DreamFormatException($"{what}Invalid", $"'{path}' is not valid: {e.Message}. Fix or remove it.", inner: e);
        }
    }
}
