namespace Dreamwell.Sync;

/// <summary>What a portal has moved since its node started: Sync-Portal's answer.</summary>
public sealed record PortalSyncReport(
    string Portal,
    string Name,
    string Path,
    int ConnectedPeers,
    long FilesReceived,
    long BytesReceived,
    long FilesDeleted,
    long FilesAnnounced,
    long BytesSent,
    long ChunksReused,
    long BytesReused,
    long Conflicts,
    long LocalFiles,
    long LocalBytes,
    IReadOnlyList<string> Deferred,
    DateTimeOffset? LastScan);
