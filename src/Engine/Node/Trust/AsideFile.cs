namespace Dreamwell.Node;

internal static class AsideFile
{
    /// <summary>Renames a damaged state file to name.invalid-&lt;utc time&gt; so it is kept, not overwritten.</summary>
    public static void MoveAside(string path)
    {
        try { File.Move(path, $"{path}.invalid-{DateTime.UtcNow:yyyyMMddTHHmmssfff}", overwrite: false); }
        catch (IOException) { /* another writer moved or replaced it first */ }
    }
}
