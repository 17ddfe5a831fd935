using Dreamwell.Node;
using Dreamwell.Sync;
using Dreamwell.Tests.Node;

namespace Dreamwell.Tests.Sync;

/// <summary>Two in-process nodes on loopback sharing a folder through a portal.</summary>
public sealed class PortalNodeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private sealed class Pair : IAsyncDisposable
    {
        public required TestNode Owner { get; init; }
        public required TestNode Member { get; init; }
        public required string OwnerFolder { get; init; }
        public required string MemberFolder { get; init; }
        public required PortalRecord Portal { get; init; }

        public static async Task<Pair> OpenAsync(Action<string>? seedOwnerFolder = null, string? keyOverride = null)
        {
            var owner = TestNode.Start("alice");
            var member = TestNode.Start("bob");
            var ownerFolder = Path.Combine(owner.Temp.Scratch, "photos");
            var memberFolder = Path.Combine(member.Temp.Scratch, "photos-from-alice");
            Directory.CreateDirectory(ownerFolder);
            seedOwnerFolder?.Invoke(ownerFolder);
            var portal = Portals.Open(owner.Home, ownerFolder, "photos", [owner.PeerAddress]);
            await Reload(owner);
            Portals.Join(member.Home, keyOverride ?? portal.Key, memberFolder, null);
            await Reload(member); // the member's node dials the owner at the key's address by itself
            return new Pair { Owner = owner, Member = member, OwnerFolder = ownerFolder, MemberFolder = memberFolder, Portal = portal };
        }

        public async ValueTask DisposeAsync()
        {
            await Member.DisposeAsync();
            await Owner.DisposeAsync();
        }
    }

    private static Task<List<string>> Reload(TestNode node) =>
        TesseractClient.ForHome(node.Home).InvokeAsync<List<string>>("portal-reload", null, Bound);

    private static Task<List<PortalSyncReport>> SyncNow(TestNode node) =>
        TesseractClient.ForHome(node.Home).InvokeAsync<List<PortalSyncReport>>("portal-sync", null, Bound);

    private static string? Text(string path) => File.Exists(path) ? File.ReadAllText(path) : null;

    [Fact]
    public async Task Files_sync_both_ways_and_deletions_follow()
    {
        await using var pair = await Pair.OpenAsync(folder =>
        {
            File.WriteAllText(Path.Combine(folder, "cat.txt"), "meow");
            Directory.CreateDirectory(Path.Combine(folder, "2026"));
            File.WriteAllBytes(Path.Combine(folder, "2026", "big.bin"), SyncEngineTests.Random(1 << 20, seed: 9));
        });

        await Poll.UntilAsync(() => Text(Path.Combine(pair.MemberFolder, "cat.txt")) == "meow"
            && File.Exists(Path.Combine(pair.MemberFolder, "2026", "big.bin")), "the member to receive the owner's files", Bound);
        Assert.Equal(File.ReadAllBytes(Path.Combine(pair.OwnerFolder, "2026", "big.bin")), File.ReadAllBytes(Path.Combine(pair.MemberFolder, "2026", "big.bin")));

        File.WriteAllText(Path.Combine(pair.MemberFolder, "dog.txt"), "woof");
        await Poll.UntilAsync(() => Text(Path.Combine(pair.OwnerFolder, "dog.txt")) == "woof", "the owner to receive the member's new file (watcher)", Bound);

        File.Delete(Path.Combine(pair.OwnerFolder, "cat.txt"));
        await Poll.UntilAsync(() => !File.Exists(Path.Combine(pair.MemberFolder, "cat.txt")), "the deletion to reach the member", Bound);

        var report = Assert.Single(await SyncNow(pair.Member));
        Assert.Equal(1, report.ConnectedPeers);
        Assert.True(report.FilesReceived >= 2);
        Assert.True(report.BytesReceived >= 1 << 20);
        Assert.Equal(1, report.FilesDeleted);
    }

    [Fact]
    public async Task A_wrong_key_secret_is_refused_and_reported()
    {
        string? forged = null;
        await using var pair = await Pair.OpenAsync(null, keyOverride: null);
        // A second member with a key whose secret was changed: same portal id and owner, wrong secret.
        var real = ShareKey.Parse(pair.Portal.Key);
        forged = (real with { Secret = new byte[32] }).ToString();
        await using var eve = TestNode.Start("eve");
        Portals.Join(eve.Home, forged, Path.Combine(eve.Temp.Scratch, "stolen"), null);
        await Reload(eve);

        await Poll.UntilAsync(() => pair.Owner.Events.Any(e => e.Kind == "Misbehaved" && e.Message.Contains("PortalKeyInvalid")), "the owner to report the forged key", Bound);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(eve.Temp.Scratch, "stolen")));
    }

    [Fact]
    public async Task A_peer_announcing_a_path_outside_the_folder_is_cut_off()
    {
        await using var pair = await Pair.OpenAsync(folder => File.WriteAllText(Path.Combine(folder, "a.txt"), "a"));
        await Poll.UntilAsync(() => File.Exists(Path.Combine(pair.MemberFolder, "a.txt")), "the first sync", Bound);
        var link = pair.Member.Node.FindLink(pair.Owner.Node.QuantumId)!;
        var evil = new SyncFileState("../../escaped.txt", 4, 0x1A4, DateTime.UtcNow.Ticks * 100, false, VersionVector.Empty.Update(pair.Member.Node.QuantumId),
            [new SyncChunk(0, 4, Blake3Hash.Hex("evil"u8))], 1);

        foreach (var frame in PortalWire.EncodeIndex(ShareKey.Parse(pair.Portal.Key).ShareId, [evil]))
            await link.SendAsync(frame, CancellationToken.None);

        await Poll.UntilAsync(() => pair.Owner.Events.Any(e => e.Kind == "Misbehaved" && e.Message.Contains(SyncErrors.UnsafePath)), "the owner to refuse the path", Bound);
        Assert.False(File.Exists(Path.GetFullPath(Path.Combine(pair.OwnerFolder, "..", "..", "escaped.txt"))));
        Assert.True(pair.Owner.Node.Status().ProcessId > 0);
    }
}
