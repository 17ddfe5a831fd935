namespace Dreamwell.Sync;

/// <summary>Stable error ids of portals, signals and the sync engine.</summary>
public static class SyncErrors
{
    public const string UnsafePath = "SyncUnsafePath";
    public const string LimitExceeded = "SyncLimitExceeded";
    public const string BadIgnorePattern = "BadIgnorePattern";
    public const string BadPortalKey = "BadPortalKey";
    public const string FolderMissing = "SyncFolderMissing";
}
