using System.Globalization;
using System.Text.Json;

namespace Dreamwell.Projects;

/// <summary>
/// A project's tapestry.json: what the project is (name, owner, when it was made), where its signal's files are,
/// which of its folders are meant to be shared as portals, and the entries worth listing. docs/tapestry.md
/// defines it; <see cref="TapestryReader"/> validates it.
/// </summary>
public sealed record Tapestry(
    string Name,
    string Owner,
    DateTimeOffset Created,
    TapestrySignal Signal,
    IReadOnlyList<TapestryPortal> Portals,
    IReadOnlyList<TapestryEntry> Entries,
    string? Description = null)
{
    public const string FileName = "tapestry.json";
    public const int SchemaVersion = 1;

    /// <summary>The file as the scaffold writes it: fixed property order, two-space indents, UTF-8 without BOM, final newline.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("tapestry", SchemaVersion);
            json.WriteString("name", Name);
            if (Description is not null) json.WriteString("description", Description);
            json.WriteString("owner", Owner);
            json.WriteString("created", Created.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            json.WriteStartObject("signal");
            json.WriteString("name", Signal.Name);
            json.WriteString("path", Signal.Path);
            json.WriteEndObject();
            json.WriteStartArray("portals");
            foreach (var portal in Portals)
            {
                json.WriteStartObject();
                json.WriteString("name", portal.Name);
                json.WriteString("path", portal.Path);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("entries");
            foreach (var entry in Entries)
            {
                json.WriteStartObject();
                json.WriteString("path", entry.Path);
                json.WriteString("kind", entry.Kind);
                if (entry.Title is not null) json.WriteString("title", entry.Title);
                if (entry.Blake3 is not null) json.WriteString("blake3", entry.Blake3);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}

/// <summary>The project's signal: the folder broadcast one way (New-Signal) under this name.</summary>
public sealed record TapestrySignal(string Name, string Path);

/// <summary>A folder of the project meant to be shared both ways (New-Portal) under this name. Never holds a key.</summary>
public sealed record TapestryPortal(string Name, string Path);

/// <summary>A file worth listing: its kind (<see cref="Kinds"/>), an optional title and the BLAKE3 it had when recorded.</summary>
public sealed record TapestryEntry(string Path, string Kind, string? Title = null, string? Blake3 = null)
{
    public static readonly IReadOnlyList<string> Kinds = ["page", "text", "data", "asset", "state"];
}
