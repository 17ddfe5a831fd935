namespace Dreamwell.Tests.Core;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dreamwell-atomicfile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_rename_is_made_durable_by_flushing_its_folder()
    {
        // .NET's file APIs refuse to open a directory; the flush used to fail silently on every folder.
        Assert.Equal(!OperatingSystem.IsWindows(), AtomicFile.FsyncFolder(_folder));
    }

    [Fact]
    public void A_folder_that_is_not_there_is_reported_not_flushed()
    {
        Assert.False(AtomicFile.FsyncFolder(Path.Combine(_folder, "missing")));
    }

    [Fact]
    public void Write_replaces_the_file_whole_and_leaves_no_temp_file()
    {
        var path = Path.Combine(_folder, "state.json");
        AtomicFile.WriteAllBytes(path, "old"u8);
        AtomicFile.WriteAllBytes(path, "new"u8);
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(["state.json"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }
}
