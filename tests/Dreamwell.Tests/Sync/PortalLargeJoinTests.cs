using Xunit.Abstractions;

namespace Dreamwell.Tests.Sync;

/// <summary>
/// Two real nodes that each indexed tens of thousands of new files while apart, then meet: at the join both announce
/// their whole index at once. Announcing (and answering chunk requests) used to run on the link's receive loop, so both
/// sides sent, neither read, and once the socket buffers were full the link stood still for good (seen with 60,000
/// files a side: nothing moved in 200 s).
/// </summary>
[Collection(DreamProcessCollection.Name)]
public sealed class PortalLargeJoinTests(ITestOutputHelper output)
{
    private const int FilesPerSide = 60_000;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(300);

    private static void Fill(string folder, string tag)
    {
        var longName = new string('x', 150); // long paths: large index entries, so each announcement is megabytes
        for (var i = 0; i < FilesPerSide; i++)
        {
            var dir = Path.Combine(folder, $"{tag}-{i % 50:00}");
            if (i < 50) Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, $"{tag}-{longName}-{i:000000}.txt"), i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static int Count(string folder) => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Count();

    /// <summary>Checks once a second: counting 120,000 files is too much work to repeat every few milliseconds.</summary>
    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var end = DateTime.UtcNow + Bound;
        while (!await condition())
        {
            if (DateTime.UtcNow > end) throw new TimeoutException($"Timed out waiting for {what}.");
            await Task.Delay(1000);
        }
    }

    private static Task IndexedAsync(DreamNodeProcess node) =>
        UntilAsync(async () => (await node.StatusAsync()).Single().LocalFiles >= FilesPerSide, $"{node.Name} to index its folder");

    [Fact]
    public async Task Two_large_indexes_meeting_at_a_join_still_sync_both_ways()
    {
        if (DreamNodeProcess.FindHost() is not { } dream) { output.WriteLine(DreamNodeProcess.HostMissing); return; }
        await using var owner = DreamNodeProcess.Create("owner", dream);
        await using var member = DreamNodeProcess.Create("member", dream);
        var portal = owner.OpenPortal("large");
        member.JoinPortal(portal.Key);
        Fill(owner.Folder, "own");
        Fill(member.Folder, "mem");

        await owner.StartAsync(); // alone: indexes its folder, then goes away
        await IndexedAsync(owner);
        owner.Kill();
        await member.StartAsync(); // alone: indexes its own, with its owner unreachable
        await IndexedAsync(member);
        await owner.StartAsync(); // they meet, each with a whole index to announce

        try
        {
            await UntilAsync(() => Task.FromResult(Count(owner.Folder) == 2 * FilesPerSide && Count(member.Folder) == 2 * FilesPerSide), "both folders to hold both sides' files");
        }
        catch (TimeoutException)
        {
            output.WriteLine($"owner holds {Count(owner.Folder)}, member {Count(member.Folder)} of {2 * FilesPerSide}");
            output.WriteLine($"--- owner:\n{owner.Log}\n--- member:\n{member.Log}");
            throw;
        }
        Assert.Equal(FolderTree.Hashes(owner.Folder), FolderTree.Hashes(member.Folder));
    }
}
