using Microsoft.Data.Sqlite;

namespace Dreamwell.Content;

/// <summary>
/// The SQLite index of the store: published items (name, size, content hash, chunk list, time) and chunks
/// (hash, size, refcount). SQLite is the one writer of this file besides AtomicFile: it brings its own
/// journal, so a crash leaves the last committed state.
/// </summary>
internal sealed class ContentIndex : IDisposable
{
    private const int SchemaVersion = 1;
    private readonly SqliteConnection _connection;

    public ContentIndex(string path)
    {
        // Pooling off: the file is closed with the store, so a home folder can be removed right after.
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        var version = Convert.ToInt32(Scalar("PRAGMA user_version"));
        if (version > SchemaVersion)
            throw new DreamException("ContentIndexVersion", DreamErrorKind.InvalidData,
                $"The content index '{path}' has schema {version}; this Dreamwell reads up to {SchemaVersion}.");
        Execute("""
            PRAGMA synchronous = FULL;
            CREATE TABLE IF NOT EXISTS items (
                name TEXT PRIMARY KEY NOT NULL,
                size INTEGER NOT NULL,
                content_hash TEXT NOT NULL,
                chunk_count INTEGER NOT NULL,
                chunks BLOB NOT NULL,
                published TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS chunks (
                hash TEXT PRIMARY KEY NOT NULL,
                size INTEGER NOT NULL,
                refcount INTEGER NOT NULL);
            PRAGMA user_version = 1;
            """);
    }

    public bool HasChunk(string hash) => Scalar("SELECT 1 FROM chunks WHERE hash = $h", ("$h", hash)) is not null;

    public long? ChunkSize(string hash) => Scalar("SELECT size FROM chunks WHERE hash = $h", ("$h", hash)) is long size ? size : null;

    /// <summary>Stores an item and its chunk references in one transaction, replacing an item of the same name.</summary>
    public void Put(ContentItem item, IReadOnlyList<(string Hash, int Size)> chunks)
    {
        using var transaction = _connection.BeginTransaction();
        var old = Find(item.Name, transaction);
        if (old is not null)
            foreach (var hash in old.Value.Chunks)
                Execute("UPDATE chunks SET refcount = refcount - 1 WHERE hash = $h", transaction, ("$h", hash));
        foreach (var (hash, size) in chunks)
            Execute("INSERT INTO chunks (hash, size, refcount) VALUES ($h, $s, 1) ON CONFLICT(hash) DO UPDATE SET refcount = refcount + 1",
                transaction, ("$h", hash), ("$s", size));
        var list = new byte[chunks.Count * Blake3Hash.Size];
        for (var i = 0; i < chunks.Count; i++) Convert.FromHexString(chunks[i].Hash).CopyTo(list, i * Blake3Hash.Size);
        Execute("""
            INSERT INTO items (name, size, content_hash, chunk_count, chunks, published) VALUES ($n, $s, $c, $k, $l, $p)
            ON CONFLICT(name) DO UPDATE SET size = $s, content_hash = $c, chunk_count = $k, chunks = $l, published = $p
            """, transaction, ("$n", item.Name), ("$s", item.Size), ("$c", item.ContentHash), ("$k", item.ChunkCount), ("$l", list),
            ("$p", item.Published.ToString("O")));
        transaction.Commit();
    }

    /// <summary>An item and its chunk list with sizes, or null when no item has that name.</summary>
    public (ContentItem Item, IReadOnlyList<string> Chunks)? Find(string name, SqliteTransaction? transaction = null)
    {
        using var command = Command("SELECT name, size, content_hash, chunk_count, published, chunks FROM items WHERE name = $n", transaction, ("$n", name));
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return null;
        var item = ReadItem(reader);
        var list = (byte[])reader.GetValue(5);
        if (list.Length != item.ChunkCount * Blake3Hash.Size || item.ChunkCount > ContentLimits.MaxChunks)
            throw new DreamException("ContentIndexCorrupt", DreamErrorKind.InvalidData,
                $"The index row of '{name}' is damaged: {item.ChunkCount} chunks but a {list.Length}-byte chunk list.");
        var hashes = new string[item.ChunkCount];
        for (var i = 0; i < hashes.Length; i++) hashes[i] = Blake3Hash.ToHex(list.AsSpan(i * Blake3Hash.Size, Blake3Hash.Size));
        return (item, hashes);
    }

    public IReadOnlyList<ContentItem> List()
    {
        using var command = Command("SELECT name, size, content_hash, chunk_count, published FROM items ORDER BY name", null);
        using var reader = command.ExecuteReader();
        var items = new List<ContentItem>();
        while (reader.Read()) items.Add(ReadItem(reader));
        return items;
    }

    public (long Chunks, long Bytes) ChunkTotals()
    {
        using var command = Command("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM chunks WHERE refcount > 0", null);
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static ContentItem ReadItem(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt32(3),
        DateTimeOffset.Parse(reader.GetString(4), System.Globalization.CultureInfo.InvariantCulture));

    private object? Scalar(string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(sql, null, parameters);
        return command.ExecuteScalar();
    }

    private void Execute(string sql, params (string Name, object Value)[] parameters) => Execute(sql, null, parameters);

    private void Execute(string sql, SqliteTransaction? transaction, params (string Name, object Value)[] parameters)
    {
        using var command = Command(sql, transaction, parameters);
        command.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql, SqliteTransaction? transaction, params (string Name, object Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }

    public void Dispose() => _connection.Dispose();
}
