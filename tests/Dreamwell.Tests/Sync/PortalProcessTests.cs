using System.Text.RegularExpressions;
using Dreamwell.Formats;
using Dreamwell.Sync;
using Dreamwell.Tests.Node;
using Xunit.Abstractions;

namespace Dreamwell.Tests.Sync;

/// <summary>Three real `dream tesseract start` processes: an owner and two members of one portal (members dial the owner).</summary>
public sealed class ThreeNodePortal : IAsyncLifetime
{
    public DreamNodeProcess? Owner { get; private set; }
    public DreamNodeProcess? First { get; private set; }
    public DreamNodeProcess? Second { get; private set; }
    public PortalRecord? Portal { get; private set; }
    public IEnumerable<DreamNodeProcess> All => [Owner!, First!, Second!];

    public async Task InitializeAsync()
    {
        if (DreamNodeProcess.FindHost() is not { } dream) return;
        Owner = DreamNodeProcess.Create("owner", dream);
        First = DreamNodeProcess.Create("first", dream);
        Second = DreamNodeProcess.Create("second", dream);
        Portal = Owner.OpenPortal("shared");
        First.JoinPortal(Portal.Key);
        Second.JoinPortal(Portal.Key);
        await Task.WhenAll(All.Select(n => n.StartAsync()));
    }

    public async Task DisposeAsync()
    {
        foreach (var node in new[] { Owner, First, Second })
            if (node is not null) await node.DisposeAsync();
    }
}

/// <summary>
/// Issue 6 acceptance at the process level, on loopback, with three nodes: create, edit, rename without transfer,
/// delete, conflict, .dreamignore, a small edit to a large file, and a pull that resumes after its node was killed.
/// (The same behaviours are tested in-process, two devices, in SyncEngineTests and PortalNodeTests.) Each test works
/// in its own subfolder and ends with the three folders equal, so the tests do not depend on their order.
/// </summary>
[Collection(DreamProcessCollection.Name)]
public sealed class PortalProcessTests(ThreeNodePortal nodes, ITestOutputHelper output) : IClassFixture<ThreeNodePortal>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    private bool Skipped()
    {
        if (nodes.Owner is not null) return false;
        output.WriteLine(DreamNodeProcess.HostMissing);
        return true;
    }

    private static string At(DreamNodeProcess node, string relative) => Path.Combine(node.Folder, relative.Replace('/', Path.DirectorySeparatorChar));

    private static byte[]? Bytes(DreamNodeProcess node, string relative)
    {
        try { return File.ReadAllBytes(At(node, relative)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>Writes as an editor that saves safely does: elsewhere, then renamed into place.</summary>
    private static void Save(DreamNodeProcess node, string relative, byte[] bytes)
    {
        var target = At(node, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = Path.Combine(node.Temp.Scratch, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, target, overwrite: true);
    }

    /// <summary>Waits with a generous deadline; on timeout the nodes' own output says why.</summary>
    private async Task WaitAsync(Func<bool> condition, string what)
    {
        try { await Poll.UntilAsync(condition, what, Bound); }
        catch (TimeoutException e)
        {
            foreach (var node in nodes.All)
            {
                output.WriteLine($"--- {node.Name} (started {node.Starts}x):\n{(node.Log.Length > 3000 ? node.Log[^3000..] : node.Log)}");
                try { output.WriteLine(System.Text.Json.JsonSerializer.Serialize(await node.StatusAsync())); } catch (Exception x) { output.WriteLine(x.Message); }
                foreach (var f in Directory.EnumerateFileSystemEntries(node.Temp.Root, "*", SearchOption.AllDirectories).Take(60))
                    output.WriteLine($"  {Path.GetRelativePath(node.Temp.Root, f)} {(File.Exists(f) ? new FileInfo(f).Length : -1)}");
            }
            throw new TimeoutException(e.Message + " (node output above)", e);
        }
    }

    private Task Everywhere(IEnumerable<DreamNodeProcess> where, string relative, byte[]? expected, string what) =>
        WaitAsync(() => where.All(n => expected is null ? !File.Exists(At(n, relative)) : Bytes(n, relative) is { } b && b.AsSpan().SequenceEqual(expected)), what);

    private async Task AllEqualAsync(string under)
    {
        await WaitAsync(() =>
        {
            var trees = nodes.All.Select(n => FolderTree.Hashes(Path.Combine(n.Folder, under))).ToList();
            return trees.Skip(1).All(t => t.SequenceEqual(trees[0]));
        }, $"the three folders to agree on {under}/");
    }

    private static async Task<long> BytesReceivedAsync(DreamNodeProcess node) => Assert.Single(await node.SyncAsync()).BytesReceived;

    [Fact]
    public async Task Creates_edits_and_deletes_reach_every_member_through_the_owner()
    {
        if (Skipped()) return;
        var (owner, first, second) = (nodes.Owner!, nodes.First!, nodes.Second!);
        Save(owner, "basics/a.txt", "from the owner"u8.ToArray());
        await Everywhere(nodes.All, "basics/a.txt", "from the owner"u8.ToArray(), "the owner's new file on both members");

        Save(second, "basics/a.txt", "edited by the second member"u8.ToArray());
        await Everywhere(nodes.All, "basics/a.txt", "edited by the second member"u8.ToArray(), "the second member's edit on the owner and the first member");

        Save(first, "basics/deep/b.txt", "from the first member"u8.ToArray());
        await Everywhere(nodes.All, "basics/deep/b.txt", "from the first member"u8.ToArray(), "the first member's file on the other member (relayed by the owner)");

        File.Delete(At(first, "basics/a.txt"));
        await Everywhere(nodes.All, "basics/a.txt", null, "the first member's deletion everywhere");
        await AllEqualAsync("basics");
        Assert.DoesNotContain(FolderTree.Hashes(owner.Folder).Keys, p => p.StartsWith("basics/", StringComparison.Ordinal) && ConflictRule.IsConflictCopy(p));
    }

    [Fact]
    public async Task A_rename_fetches_no_chunk_bytes()
    {
        if (Skipped()) return;
        var photo = SyncEngineTests.Random(300 << 10, seed: 31);
        Save(nodes.Owner!, "rename/photo.bin", photo);
        await Everywhere(nodes.All, "rename/photo.bin", photo, "the photo on both members");
        var before = await Task.WhenAll(BytesReceivedAsync(nodes.First!), BytesReceivedAsync(nodes.Second!));

        File.Move(At(nodes.Owner!, "rename/photo.bin"), At(nodes.Owner!, "rename/renamed.bin"));
        await Everywhere(nodes.All, "rename/renamed.bin", photo, "the renamed photo on both members");
        await Everywhere(nodes.All, "rename/photo.bin", null, "the old name gone");
        var after = await Task.WhenAll(BytesReceivedAsync(nodes.First!), BytesReceivedAsync(nodes.Second!));

        output.WriteLine($"BytesReceived before/after the rename: first {before[0]}/{after[0]}, second {before[1]}/{after[1]}");
        Assert.Equal(before[0], after[0]);
        Assert.Equal(before[1], after[1]);
    }

    [Fact]
    public async Task A_small_edit_to_a_large_file_moves_only_the_changed_chunks()
    {
        if (Skipped()) return;
        var data = SyncEngineTests.Random(8 << 20, seed: 32);
        Save(nodes.Owner!, "large/data.bin", data);
        await Everywhere(nodes.All, "large/data.bin", data, "the 8 MiB file on both members");
        var before = await Task.WhenAll(BytesReceivedAsync(nodes.First!), BytesReceivedAsync(nodes.Second!));

        var edited = (byte[])data.Clone();
        SyncEngineTests.Random(4096, seed: 33).CopyTo(edited, 5 << 20);
        Save(nodes.Owner!, "large/data.bin", edited);
        await Everywhere(nodes.All, "large/data.bin", edited, "the edited file on both members");
        var after = await Task.WhenAll(BytesReceivedAsync(nodes.First!), BytesReceivedAsync(nodes.Second!));

        output.WriteLine($"bytes received for a 4 KiB edit of 8 MiB: first {after[0] - before[0]}, second {after[1] - before[1]}");
        foreach (var moved in new[] { after[0] - before[0], after[1] - before[1] })
        {
            Assert.InRange(moved, 4096, 4L * FastCdc.MaxSize); // the chunks around the edit, never the file
        }
    }

    [Fact]
    public async Task Ignored_files_stay_home()
    {
        if (Skipped()) return;
        File.WriteAllText(At(nodes.Owner!, SyncPath.IgnoreFile), "*.tmp\nignored/build\n");
        Save(nodes.Owner!, "ignored/scratch.tmp", "scratch"u8.ToArray());
        Save(nodes.Owner!, "ignored/build/out.bin", "build output"u8.ToArray());
        Save(nodes.Owner!, "ignored/keep.txt", "keep"u8.ToArray());
        await Everywhere(nodes.All, "ignored/keep.txt", "keep"u8.ToArray(), "the file that is not ignored");
        foreach (var node in nodes.All) await node.SyncAsync();

        foreach (var member in new[] { nodes.First!, nodes.Second! })
        {
            Assert.False(File.Exists(At(member, "ignored/scratch.tmp")));
            Assert.False(Directory.Exists(At(member, "ignored/build")));
            Assert.False(File.Exists(At(member, SyncPath.IgnoreFile)), ".dreamignore itself is not synced");
        }
        File.Delete(At(nodes.Owner!, SyncPath.IgnoreFile));
    }

    [Fact]
    public async Task Concurrent_edits_keep_both_with_the_older_as_a_syncthing_style_conflict_copy()
    {
        if (Skipped()) return;
        var (owner, first, second) = (nodes.Owner!, nodes.First!, nodes.Second!);
        Save(owner, "conflict/notes.txt", "original"u8.ToArray());
        await Everywhere(nodes.All, "conflict/notes.txt", "original"u8.ToArray(), "the original everywhere");

        second.Kill(); // offline: its edit cannot be seen by the others until it is back
        Save(first, "conflict/notes.txt", "first member's edit (older)"u8.ToArray());
        await Everywhere([owner, first], "conflict/notes.txt", "first member's edit (older)"u8.ToArray(), "the first edit on the owner");
        Save(second, "conflict/notes.txt", "second member's edit (newer)"u8.ToArray());
        File.SetLastWriteTimeUtc(At(second, "conflict/notes.txt"), DateTime.UtcNow.AddSeconds(5));
        await second.StartAsync();

        await Everywhere(nodes.All, "conflict/notes.txt", "second member's edit (newer)"u8.ToArray(), "the newer edit to win everywhere");
        await AllEqualAsync("conflict");
        var copies = FolderTree.Hashes(owner.Folder).Keys.Where(p => p.StartsWith("conflict/", StringComparison.Ordinal) && ConflictRule.IsConflictCopy(p)).ToList();
        var copy = Assert.Single(copies);
        Assert.Matches(new Regex(@"^conflict/notes\.sync-conflict-\d{8}-\d{6}-[0-9a-f]{16}\.txt$"), copy);
        Assert.Equal("first member's edit (older)", File.ReadAllText(At(second, copy)));
    }

    [Fact]
    public async Task A_pull_interrupted_by_a_kill_resumes_with_the_chunks_it_already_had()
    {
        if (Skipped()) return;
        var big = SyncEngineTests.Random(48 << 20, seed: 34);
        var cache = Path.Combine(nodes.First!.Home.Path, "portals", nodes.Portal!.Id, "chunks");
        Save(nodes.Owner!, "resume/big.bin", big);
        await WaitAsync(() => (Directory.Exists(cache) && Directory.EnumerateFiles(cache, "*", SearchOption.AllDirectories).Skip(600).Any())
            || File.Exists(At(nodes.First!, "resume/big.bin")), "the first member to have fetched a tenth of the chunks");
        var complete = Bytes(nodes.First!, "resume/big.bin") is { Length: 48 << 20 };
        nodes.First!.Kill();
        Assert.False(complete, "the pull finished before the kill; nothing left to resume");
        var cached = Directory.EnumerateFiles(cache, "*", SearchOption.AllDirectories).Count(f => !f.EndsWith(".tmp", StringComparison.Ordinal));

        await nodes.First!.StartAsync();
        await Everywhere(nodes.All, "resume/big.bin", big, "the 48 MiB file on both members after the restart");
        var received = await BytesReceivedAsync(nodes.First!);
        output.WriteLine($"chunks cached at the kill: {cached}; bytes fetched after the restart: {received} of {big.Length}");
        Assert.True(received <= big.Length - (long)cached * FastCdc.MinSize, $"after the restart the member fetched {received} bytes: not resumed from the {cached} cached chunks");
        Assert.Empty(FolderTree.TempFiles(nodes.First!.Folder));
    }
}
