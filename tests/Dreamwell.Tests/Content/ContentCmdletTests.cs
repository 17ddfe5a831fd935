using System.Management.Automation;
using Dreamwell.Cmdlets;
using Dreamwell.Content;
using Dreamwell.Tests.Support;

namespace Dreamwell.Tests.Content;

[Collection(EnvironmentCollection.Name)]
public class ContentCmdletTests
{
    private static string Quote(string path) => Dreamwell.Host.PowerShellLiteral.Quote(path);

    [Fact]
    public void Publish_then_get_by_address_round_trips_with_receipts()
    {
        using var temp = new TempHome();
        var source = temp.File("hello.txt");
        File.WriteAllText(source, "hello content store");
        var result = InProcessShell.Run(temp.Home,
            $"$p = Publish-DreamContent {Quote(source)} -Name greetings/hello.txt -WarningAction SilentlyContinue; $p; Get-DreamContent $p.Address -Destination {Quote(temp.File("out.txt"))}");
        Assert.Empty(result.Errors);
        var published = Assert.IsType<PublishedContent>(result.Output[0].BaseObject);
        var receipt = Assert.IsType<DreamReceipt>(result.Output[1].BaseObject);
        var address = DreamAddress.Parse(published.Address);
        Assert.Equal("greetings/hello.txt", address.Name);
        Assert.Equal(published.Receipt.Signer, address.QuantumId);
        Assert.Equal(("Content.Get", IntegrityVerdict.Verified, published.ContentHash), (receipt.Operation, receipt.Integrity, receipt.OutputHash));
        Assert.Equal("hello content store", File.ReadAllText(temp.File("out.txt")));
    }

    [Fact]
    public void Published_objects_pipe_into_get_and_the_index_lists_them()
    {
        using var temp = new TempHome();
        File.WriteAllText(temp.File("a.txt"), "alpha");
        var result = InProcessShell.Run(temp.Home,
            $"Set-Location {Quote(temp.Scratch)}; Publish-DreamContent a.txt -Name out/a.copy -WarningAction SilentlyContinue | Get-DreamContent | Out-Null; Get-DreamContentIndex");
        Assert.Empty(result.Errors);
        var item = Assert.IsType<ContentItem>(Assert.Single(result.Output).BaseObject);
        Assert.Equal(("out/a.copy", 5L), (item.Name, item.Size));
        Assert.Equal("alpha", File.ReadAllText(temp.File("a.copy")));
    }

    [Theory]
    [InlineData("Get-DreamContent 'https://nope/x'", "BadAddress")]
    [InlineData("Get-DreamContent 'qttps://0123456789abcdef/x'", "TesseractNotRunning")]
    [InlineData("Publish-DreamContent ./missing.bin", "PathNotFound")]
    [InlineData("Publish-DreamContent .", "NotAFile")]
    [InlineData("Set-Content a.txt a; Publish-DreamContent a.txt -Name '/abs'", "BadContentName")]
    public void Failures_carry_stable_error_ids(string script, string errorId)
    {
        using var temp = new TempHome();
        var result = InProcessShell.Run(temp.Home, $"Set-Location {Quote(temp.Scratch)}; {script}");
        var error = Assert.Single(result.Errors);
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void WhatIf_stores_and_writes_nothing()
    {
        using var temp = new TempHome();
        File.WriteAllText(temp.File("a.txt"), "alpha");
        var result = InProcessShell.Run(temp.Home, $"Publish-DreamContent {Quote(temp.File("a.txt"))} -WhatIf");
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        Assert.False(Directory.Exists(Path.Combine(temp.Home.Path, ContentStore.FolderName)));
    }

    [Fact]
    public void Get_writes_into_an_existing_folder_and_WhatIf_writes_nothing()
    {
        using var temp = new TempHome();
        File.WriteAllText(temp.File("a.txt"), "alpha");
        var folder = Directory.CreateDirectory(temp.File("into")).FullName;
        var result = InProcessShell.Run(temp.Home,
            $"$p = Publish-DreamContent {Quote(temp.File("a.txt"))} -Name x/b.txt -WarningAction SilentlyContinue; " +
            $"Get-DreamContent $p.Address -Destination {Quote(temp.File("never.txt"))} -WhatIf; Get-DreamContent $p.Address -Destination {Quote(folder)}");
        Assert.Empty(result.Errors);
        Assert.False(File.Exists(temp.File("never.txt")));
        Assert.Equal("alpha", File.ReadAllText(Path.Combine(folder, "b.txt")));
    }
}
