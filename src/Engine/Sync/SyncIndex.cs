using System.Buffers.Binary;
using Microsoft.Data.Sqlite;

namespace Dreamwell.Sync;

/// <summary>
/// The per-folder index in SQLite (docs/sync.md, "Index"): every path this device knows with its size, mode,
/// time, chunk list, version vector, deletion flag and the local sequence number of its last change, plus where
/// each chunk can be found in local files (so moves, renames and copies cost no transfer). Queries stream;
/// nothing holds the whole folder in memory.
/// </summary>
public sealed class SyncIndex : IDisposable
{
    private const int SchemaVersion = 1;
    private readonly SqliteConnection _connection;

    public SyncIndex(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        int version;
        using (var probe = Command("PRAGMA user_version"))
            version = Convert.ToInt32(probe.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
            throw new DreamException("SyncIndexVersion", DreamErrorKind.InvalidData, $"The sync index '{path}' has schema {version}; this Dreamwell reads up to {SchemaVersion}.");
        using var schema = Command("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            CREATE TABLE IF NOT EXISTS files (
                path TEXT PRIMARY KEY NOT NULL,
                size INTEGER NOT NULL,
                mode INTEGER NOT NULL,
                mtime_ns INTEGER NOT NULL,
                deleted INTEGER NOT NULL,
                version TEXT NOT NULL,
                chunks BLOB NOT NULL,
                sequence INTEGER NOT NULL,
                seen INTEGER NOT NULL DEFAULT 0);
            CREATE INDEX IF NOT EXISTS files_sequence ON files(sequence);
            CREATE TABLE IF NOT EXISTS chunk_places (
                hash BLOB NOT NULL,
                path TEXT NOT NULL,
                offset INTEGER NOT NULL,
                size INTEGER NOT NULL,
                PRIMARY KEY (hash, path, offset)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS chunk_places_path ON chunk_places(path);
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
            PRAGMA user_version = 1;
            """);
        schema.ExecuteNonQuery();
    }

    /// <summary>The highest local sequence number handed out (0 for an empty index).</summary>
    public long Sequence => Scalar("SELECT MAX(sequence) FROM files") is long s ? s : 0;

    public string? GetMeta(string key) => Scalar("SELECT value FROM meta WHERE key = $k", ("$k", key)) as string;

    public void SetMeta(string key, string value) =>
        Execute("INSERT INTO meta (key, value) VALUES ($k, $v) ON CONFLICT(key) DO UPDATE SET value = $v", null, ("$k", key), ("$v", value));

    public SyncFileState? Get(string path)
    {
        using var reader = Prepared("SELECT path, size, mode, mtime_ns, deleted, version, chunks, sequence FROM files WHERE path = $p", null, ("$p", path)).ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    /// <summary>Every entry changed after <paramref name="sequence"/>, in sequence order (index exchange).</summary>
    public IEnumerable<SyncFileState> ChangedSince(long sequence, int limit = int.MaxValue)
    {
        using var command = Command("SELECT path, size, mode, mtime_ns, deleted, version, chunks, sequence FROM files WHERE sequence > $s ORDER BY sequence LIMIT $l", null, ("$s", sequence), ("$l", limit));
        using var reader = command.ExecuteReader();
        while (reader.Read()) yield return Read(reader);
    }

    public IEnumerable<SyncFileState> All(bool includeDeleted = false)
    {
        using var command = Command($"SELECT path, size, mode, mtime_ns, deleted, version, chunks, sequence FROM files {(includeDeleted ? "" : "WHERE deleted = 0")} ORDER BY path");
        using var reader = command.ExecuteReader();
        while (reader.Read()) yield return Read(reader);
    }

    public (long Files, long Bytes, long Deleted) Totals()
    {
        using var command = Command("SELECT COALESCE(SUM(deleted = 0), 0), COALESCE(SUM(CASE WHEN deleted = 0 THEN size END), 0), COALESCE(SUM(deleted), 0) FROM files");
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    private SqliteTransaction? _batch;

    /// <summary>
    /// Groups many writes into one transaction (one fsync instead of one per file): a scan of 10,000 files commits
    /// once. Dispose without <see cref="Batch.Commit"/> rolls back. Batches do not nest.
    /// </summary>
    public Batch BeginBatch()
    {
        if (_batch is not null) throw new InvalidOperationException("A sync index batch is already open.");
        _batch = _connection.BeginTransaction();
        return new Batch(this);
    }

    public sealed class Batch(SyncIndex index) : IDisposable
    {
        public void Commit()
        {
            index._batch?.Commit();
            index._batch?.Dispose();
            index._batch = null;
        }

        public void Dispose()
        {
            index._batch?.Dispose();
            index._batch = null;
        }
    }

    /// <summary>Stores a state under the next local sequence number and records where its chunks are.</summary>
    public SyncFileState Put(SyncFileState state, long scanGeneration = 0)
    {
        var own = _batch is null ? _connection.BeginTransaction() : null;
        var transaction = _batch ?? own!;
        try
        {
            var stored = PutIn(transaction, state, scanGeneration);
            own?.Commit();
            return stored;
        }
        finally
        {
            own?.Dispose();
        }
    }

    private SyncFileState PutIn(SqliteTransaction transaction, SyncFileState state, long scanGeneration)
    {
        var sequence = (Scalar("SELECT MAX(sequence) FROM files", transaction) is long s ? s : 0) + 1;
        var stored = state with { Sequence = sequence };
        Execute("""
            INSERT INTO files (path, size, mode, mtime_ns, deleted, version, chunks, sequence, seen) VALUES ($p, $s, $m, $t, $d, $v, $c, $q, $g)
            ON CONFLICT(path) DO UPDATE SET size = $s, mode = $m, mtime_ns = $t, deleted = $d, version = $v, chunks = $c, sequence = $q, seen = $g
            """, transaction, ("$p", state.Path), ("$s", state.Size), ("$m", state.Mode), ("$t", state.ModifiedUnixNs), ("$d", state.Deleted ? 1 : 0),
            ("$v", state.Version.ToString()), ("$c", EncodeChunks(state.Chunks)), ("$q", sequence), ("$g", scanGeneration));
        Execute("DELETE FROM chunk_places WHERE path = $p", transaction, ("$p", state.Path));
        if (!state.Deleted)
            foreach (var chunk in state.Chunks)
                Execute("INSERT OR IGNORE INTO chunk_places (hash, path, offset, size) VALUES ($h, $p, $o, $s)", transaction,
                    ("$h", Convert.FromHexString(chunk.Hash)), ("$p", state.Path), ("$o", chunk.Offset), ("$s", chunk.Size));
        return stored;
    }

    /// <summary>Marks an unchanged entry as seen by this scan.</summary>
    public void MarkSeen(string path, long scanGeneration) =>
        Execute("UPDATE files SET seen = $g WHERE path = $p", _batch, ("$g", scanGeneration), ("$p", path));

    /// <summary>Live entries the scan did not see: the files deleted since the last scan.</summary>
    public IEnumerable<SyncFileState> NotSeenIn(long scanGeneration)
    {
        using var command = Command("SELECT path, size, mode, mtime_ns, deleted, version, chunks, sequence FROM files WHERE deleted = 0 AND seen <> $g ORDER BY path", null, ("$g", scanGeneration));
        using var reader = command.ExecuteReader();
        var gone = new List<SyncFileState>();
        while (reader.Read()) gone.Add(Read(reader));
        return gone;
    }

    /// <summary>Whether any live entry lies under the folder <paramref name="folder"/> (a path without its trailing '/').</summary>
    public bool HasLiveUnder(string folder) =>
        Scalar("SELECT 1 FROM files WHERE path > $lo AND path < $hi AND deleted = 0 LIMIT 1", null, ("$lo", folder + "/"), ("$hi", folder + "0")) is not null;

    /// <summary>Local files that hold a chunk (any of them will do; each read is verified by hash).</summary>
    public IReadOnlyList<(string Path, long Offset, int Size)> PlacesOf(string hash)
    {
        using var reader = Prepared("SELECT path, offset, size FROM chunk_places WHERE hash = $h LIMIT 4", null, ("$h", Convert.FromHexString(hash))).ExecuteReader();
        var places = new List<(string, long, int)>();
        while (reader.Read()) places.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt32(2)));
        return places;
    }

    public void Dispose()
    {
        foreach (var command in _prepared.Values) command.Dispose();
        _prepared.Clear();
        _connection.Dispose();
    }

    internal static byte[] EncodeChunks(IReadOnlyList<SyncChunk> chunks)
    {
        var bytes = new byte[chunks.Count * (4 + Blake3Hash.Size)];
        for (var i = 0; i < chunks.Count; i++)
        {
            var at = i * (4 + Blake3Hash.Size);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), chunks[i].Size);
            Convert.FromHexString(chunks[i].Hash).CopyTo(bytes, at + 4);
        }
        return bytes;
    }

    internal static IReadOnlyList<SyncChunk> DecodeChunks(byte[] bytes)
    {
        const int stride = 4 + Blake3Hash.Size;
        if (bytes.Length % stride != 0) throw new DreamFormatException("SyncIndexCorrupt", "A chunk list in the sync index has a torn entry.");
        var chunks = new List<SyncChunk>(bytes.Length / stride);
        long offset = 0;
        for (var at = 0; at < bytes.Length; at += stride)
        {
            var size = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
            chunks.Add(new SyncChunk(offset, size, Convert.ToHexStringLower(bytes.AsSpan(at + 4, Blake3Hash.Size))));
            offset += size;
        }
        return chunks;
    }

    private static SyncFileState Read(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetInt64(3), reader.GetInt64(4) != 0,
        VersionVector.Parse(reader.GetString(5)), DecodeChunks((byte[])reader.GetValue(6)), reader.GetInt64(7));

    private SqliteCommand Command(string sql, SqliteTransaction? transaction = null, params (string Name, object Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction ?? _batch;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }

    /// <summary>
    /// A command kept prepared for the life of the connection: a scan or an apply runs the same few statements tens of
    /// thousands of times, and parsing each anew cost more than running it. Only for statements whose readers are
    /// consumed before the next call (never for the streaming queries).
    /// </summary>
    private SqliteCommand Prepared(string sql, SqliteTransaction? transaction, params (string Name, object Value)[] parameters)
    {
        if (!_prepared.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _prepared[sql] = command;
        }
        command.Transaction = transaction ?? _batch;
        command.Parameters.Clear();
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }

    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);

    private void Execute(string sql, SqliteTransaction? transaction = null, params (string Name, object Value)[] parameters) =>
        Prepared(sql, transaction, parameters).ExecuteNonQuery();

    private object? Scalar(string sql, params (string Name, object Value)[] parameters) => Scalar(sql, null, parameters);

    private object? Scalar(string sql, SqliteTransaction? transaction, params (string Name, object Value)[] parameters)
    {
        var value = Prepared(sql, transaction, parameters).ExecuteScalar();
        return value is DBNull ? null : value;
    }
}
