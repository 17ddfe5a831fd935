using System.Text;
using System.Text.Json;
using Dreamwell.Node;

namespace Dreamwell.Sync;

/// <summary>
/// Portals on a running node (docs/sync.md, "Wire"): members join an owner's portal over an FQTP link by proving the
/// key's secret, then both sides announce their index (binary 0x50 frames) from where the other has applied, and pull
/// missing chunks with portal-wants / 0x52 frames. Announcing and answering run off the link's receive loop (see
/// <see cref="PortalSession.AskedAsync"/>). Every path and frame from a peer is validated before use; a peer
/// that breaks the rules is reported to ShardBlade and its link ends.
/// </summary>
internal sealed class PortalService : SharedFolderService<PortalWorker, PortalSession>
{
    public const string Join = "portal-join";
    public const string Welcome = "portal-welcome";
    public const string Refused = "portal-refused";
    public const string Want = "portal-want";
    public const string Wants = "portal-wants";
    public const string NoChunk = "portal-nochunk";
    private const string JoinDomain = "dreamwell-portal-join-v1";
    public static readonly TimeSpan DefaultRescan = TimeSpan.FromSeconds(30);

    private readonly PortalRegistry _registry;

    public PortalService(TesseractNode node) : base(node)
    {
        _registry = new PortalRegistry(node.Home);
        try { Reload(); }
        catch (DreamException e) { node.Raise("PortalProblem", null, null, e.Message); }
        Dialer = new OwnerDialer(node, () => Workers.Values.Where(w => w.Record.Role == PortalRecord.Member)
            .Select(w => (w.Record.OwnerQuantumId, w.Record.ParsedKey.Addresses)));
    }

    public override IReadOnlyCollection<string> MessageTypes => [Join, Welcome, Refused, Want, Wants, NoChunk];
    public override IReadOnlyCollection<byte> FrameKinds => [PortalWire.IndexFrame, PortalWire.ChunkFrame, PortalWire.ChunksFrame];

    public override IReadOnlyDictionary<string, ControlMethod> ControlMethods => new Dictionary<string, ControlMethod>
    {
        ["portal-reload"] = (_, _) => Task.FromResult<object>(Reload()),
        ["portal-sync"] = SyncNowAsync,
        ["portal-status"] = (_, _) => Task.FromResult<object>(Workers.Values.Select(w => w.Report(PeerCount(w))).ToList()),
    };

    public override void LinkUp(PeerLink link)
    {
        foreach (var worker in Workers.Values.Where(w => w.Record.Role == PortalRecord.Member && w.Record.OwnerQuantumId == link.QuantumId))
            _ = SendJoinAsync(link, worker);
    }

    public override async ValueTask OnMessageAsync(PeerLink link, string type, JsonElement body, CancellationToken cancellationToken)
    {
        var share = FqtpMessages.Text(body, "share", 32).ToLowerInvariant();
        switch (type)
        {
            case Join:
                await OnJoinAsync(link, share, body, cancellationToken).ConfigureAwait(false);
                break;
            case Welcome:
                if (!Workers.TryGetValue(share, out var joined) || joined.Record.Role != PortalRecord.Member || joined.Record.OwnerQuantumId != link.QuantumId)
                    throw FqtpMessages.Violation("A portal welcome nobody asked for.");
                var session = LinkSessions.GetOrAdd((link, share), _ => new PortalSession(link, joined));
                session.Rewind(FqtpMessages.Number(body, "since"));
                Node.Raise("PortalJoined", link.QuantumId, link.Address, $"Joined portal '{joined.Record.Name}' ({joined.Record.ShortId}) of {link.Label}.");
                session.AnnounceInBackground();
                break;
            case Refused:
                Node.Raise("PortalRefused", link.QuantumId, link.Address, $"{link.Label} refused portal {share[..Math.Min(8, share.Length)]}: {FqtpMessages.Text(body, "reason", 512)}");
                break;
            case Want:
                await SessionOf(link, share).AskedAsync([ReadWant(body)], packed: false, cancellationToken).ConfigureAwait(false);
                break;
            case Wants:
                var asker = SessionOf(link, share);
                if (!body.TryGetProperty("wants", out var wants) || wants.ValueKind != JsonValueKind.Array || wants.GetArrayLength() is 0 or > RemoteChunks.MaxPerMessage)
                    throw FqtpMessages.Violation($"A portal-wants without 1 to {RemoteChunks.MaxPerMessage} requests.");
                await asker.AskedAsync([.. wants.EnumerateArray().Select(ReadWant)], packed: true, cancellationToken).ConfigureAwait(false);
                break;
            case NoChunk:
                SessionOf(link, share).OnNoChunk((int)Math.Min(FqtpMessages.Number(body, "id"), int.MaxValue));
                break;
        }
    }

    public override ValueTask OnFrameAsync(PeerLink link, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        if (frame.Span[0] == PortalWire.IndexFrame)
        {
            var (shareId, pieces) = PortalWire.DecodeIndex(frame.Span);
            var session = SessionOf(link, Convert.ToHexStringLower(shareId));
            var states = session.Assemble(pieces);
            foreach (var state in states)
                if (!SyncPath.IsValid(state.Path, out var why))
                    throw FqtpMessages.Violation($"{SyncErrors.UnsafePath}: the peer announced '{(state.Path.Length > 80 ? state.Path[..80] : state.Path)}' ({why}).");
            if (states.Count > 0) session.Worker.Enqueue(session, states);
        }
        else if (frame.Span[0] == PortalWire.ChunksFrame)
        {
            var (shareId, pieces) = PortalWire.DecodeChunks(frame);
            var session = SessionOf(link, Convert.ToHexStringLower(shareId));
            foreach (var piece in pieces) session.OnChunkPiece(piece.RequestId, piece.Offset, piece.Total, piece.Bytes);
        }
        else
        {
            var (shareId, requestId, offset, total, bytes) = PortalWire.DecodeChunk(frame);
            SessionOf(link, Convert.ToHexStringLower(shareId)).OnChunkPiece(requestId, offset, total, bytes);
        }
        return default;
    }

    private static ChunkWant ReadWant(JsonElement want)
    {
        if (want.ValueKind != JsonValueKind.Object) throw FqtpMessages.Violation("A portal chunk request that is not an object.");
        var hash = FqtpMessages.Text(want, "hash", 64);
        var size = (int)Math.Min(FqtpMessages.Number(want, "size"), int.MaxValue);
        var id = (int)Math.Min(FqtpMessages.Number(want, "id"), int.MaxValue);
        if (hash.Length != 64 || !hash.All(Uri.IsHexDigit) || size is <= 0 or > 1 << 20) throw FqtpMessages.Violation("A portal chunk request with a bad hash or size.");
        return new ChunkWant(id, hash.ToLowerInvariant(), size);
    }

    /// <summary>The proof a member sends: BLAKE3 keyed with the portal secret over the domain, share id and both QuantumIds.</summary>
    public static string JoinProof(ShareKey key, string joinerQuantumId)
    {
        using var hasher = Blake3.Hasher.NewKeyed(key.Secret);
        hasher.Update(Encoding.UTF8.GetBytes(JoinDomain));
        hasher.Update([0]);
        hasher.Update(key.ShareId);
        hasher.Update(Encoding.UTF8.GetBytes(joinerQuantumId + key.OwnerQuantumId));
        return hasher.Finalize().ToString();
    }

    private async Task SendJoinAsync(PeerLink link, PortalWorker worker)
    {
        try
        {
            var key = worker.Record.ParsedKey;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await link.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new
            {
                type = Join, share = worker.Record.Id, proof = JoinProof(key, Node.QuantumId), since = worker.AppliedFrom(link.QuantumId),
            }), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or DreamException or OperationCanceledException or ObjectDisposedException)
        {
            Node.Raise("PortalProblem", link.QuantumId, link.Address, $"Could not ask to join portal {worker.Record.ShortId}: {e.Message}");
        }
    }

    private async Task OnJoinAsync(PeerLink link, string share, JsonElement body, CancellationToken cancellationToken)
    {
        var proof = FqtpMessages.Text(body, "proof", 64);
        if (!Workers.TryGetValue(share, out var worker) || worker.Record.Role != PortalRecord.Owner)
        {
            await link.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = Refused, share, reason = "No such portal here (it may have been removed)." }), cancellationToken).ConfigureAwait(false);
            return;
        }
        var expected = JoinProof(worker.Record.ParsedKey, link.QuantumId);
        if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(proof.ToLowerInvariant())))
        {
            await link.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = Refused, share, reason = "The portal key proof is wrong." }), cancellationToken).ConfigureAwait(false);
            var message = $"{link.Label} tried to join portal {worker.Record.ShortId} without its key.";
            Node.Misbehaved(link.QuantumId, link.Address, "PortalKeyInvalid", message);
            throw new DreamException("PortalKeyInvalid", DreamErrorKind.SecurityError, message);
        }
        if (!worker.Record.Members.Contains(link.QuantumId))
            worker.Record = _registry.Update(worker.Record.Id, r => r with { Members = [.. r.Members, link.QuantumId] });
        var session = LinkSessions.GetOrAdd((link, share), _ => new PortalSession(link, worker));
        session.Rewind(FqtpMessages.Number(body, "since"));
        await link.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = Welcome, share, since = worker.AppliedFrom(link.QuantumId) }), cancellationToken).ConfigureAwait(false);
        Node.Raise("PortalMember", link.QuantumId, link.Address, $"{link.Label} joined portal '{worker.Record.Name}' ({worker.Record.ShortId}).");
        session.AnnounceInBackground();
    }

    private PortalSession SessionOf(PeerLink link, string share) =>
        LinkSessions.TryGetValue((link, share), out var session) ? session : throw FqtpMessages.Violation("A portal message for a portal this link has not joined.");

    private int PeerCount(PortalWorker worker) => Sessions(worker).Select(s => s.PeerQuantumId).Distinct().Count();

    private List<PortalSession> Sessions(PortalWorker worker) => LinkSessions.Values.Where(s => s.Worker == worker && s.IsOpen).ToList();

    private List<string> Reload()
    {
        lock (ReloadGate)
        {
            var records = _registry.All();
            ForgetAllBut(records.Select(r => r.Id));
            foreach (var record in records)
            {
                if (Workers.TryGetValue(record.Id, out var existing)) { existing.Record = record; continue; }
                var worker = new PortalWorker(record, _registry.StateFolder(record.Id), Node.QuantumId, DefaultRescan,
                    problem => Node.Raise("PortalProblem", null, null, problem));
                worker.IndexChanged += () => AnnounceAll(worker);
                Workers[record.Id] = worker;
                if (record.Role == PortalRecord.Member && Node.FindLink(record.OwnerQuantumId) is { } link) _ = SendJoinAsync(link, worker);
                else if (record.Role == PortalRecord.Member) Dialer?.DialNow();
            }
            return [.. Workers.Keys];
        }
    }

    private void AnnounceAll(PortalWorker worker)
    {
        foreach (var session in Sessions(worker)) session.AnnounceInBackground();
    }

    private async Task<object> SyncNowAsync(JsonElement parameters, CancellationToken cancellationToken)
    {
        var name = parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("portal", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : "";
        var targets = name.Length == 0 ? Workers.Values.ToList()
            : Workers.Values.Where(w => w.Record.Id == name || w.Record.ShortId.Equals(name, StringComparison.OrdinalIgnoreCase) || w.Record.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (name.Length > 0 && targets.Count == 0) throw PortalRegistry.NotFound(name);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(TimeSpan.FromSeconds(120));
        foreach (var worker in targets)
        {
            worker.RequestScan();
            await worker.BarrierAsync().WaitAsync(bounded.Token).ConfigureAwait(false);
            foreach (var session in Sessions(worker)) await session.AnnounceAsync(bounded.Token).ConfigureAwait(false);
            // Quiet means: nothing queued or running here for a short while (peers' answers arrive as new work).
            var quietSince = DateTime.UtcNow;
            while (DateTime.UtcNow - quietSince < TimeSpan.FromMilliseconds(300))
            {
                await Task.Delay(50, bounded.Token).ConfigureAwait(false);
                if (!worker.IsIdle) quietSince = DateTime.UtcNow;
            }
        }
        return targets.Select(w => w.Report(PeerCount(w))).ToList();
    }

}
