using Dreamwell.Sync;

namespace Dreamwell.Tests.Sync;

/// <summary>A node killed between renaming a pulled file into place and committing its index (found by CrashTests).</summary>
public sealed class ApplyJournalTests
{
    [Fact]
    public async Task A_file_pulled_just_before_a_crash_is_not_mistaken_for_a_local_edit()
    {
        using var a = new SyncDevice("aaaaaaaaaaaaaaaa");
        using var b = new SyncDevice("bbbbbbbbbbbbbbbb");
        a.Write("f.txt", "one", DateTime.UtcNow.AddMinutes(-2));
        a.Scan();
        await b.PullFromAsync(a);
        a.Write("f.txt", "two", DateTime.UtcNow.AddMinutes(-1));
        a.Scan();

        // b is killed mid-apply: the journal is committed and the new bytes renamed in, but its index still says "one".
        var pulled = a.Index.Get("f.txt")!;
        ApplyJournal.Begin(b.Index, [pulled]);
        File.Copy(a.PathOf("f.txt"), b.PathOf("f.txt"), overwrite: true);
        File.SetLastWriteTimeUtc(b.PathOf("f.txt"), pulled.Modified.UtcDateTime);

        File.Delete(a.PathOf("f.txt"));
        a.Scan();
        b.Scan(); // restart: the scan adopts the peer's version instead of making a local one
        Assert.Equal(pulled.Version, b.Index.Get("f.txt")!.Version);

        await SyncDevice.ConvergeAsync(a, b);
        Assert.False(File.Exists(a.PathOf("f.txt")), "a modification-beats-delete conflict brought the deleted file back");
        Assert.False(File.Exists(b.PathOf("f.txt")));
    }

    [Fact]
    public void A_journaled_state_the_disk_does_not_hold_is_left_to_the_scan()
    {
        using var b = new SyncDevice("bbbbbbbbbbbbbbbb");
        b.Write("f.txt", "local edit");
        var other = new SyncFileState("f.txt", 99, 0x1A4, 1_000_000_000, false, VersionVector.Empty.Update("aaaaaaaaaaaaaaaa"), [new SyncChunk(0, 99, new string('0', 64))]);
        ApplyJournal.Begin(b.Index, [other]);
        b.Scan();
        var state = b.Index.Get("f.txt")!;
        Assert.Equal(10, state.Size);
        Assert.Equal(VersionVector.Empty.Update("bbbbbbbbbbbbbbbb"), state.Version);
    }
}
