using Dreamwell.Node;
using Dreamwell.Sync;
using Dreamwell.Tests.Node;

namespace Dreamwell.Tests.Sync;

/// <summary>A publisher and subscribers on loopback: releases arrive verified, local edits stay local, relays cannot forge.</summary>
public sealed class SignalNodeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static Task<List<string>> Reload(TestNode node) =>
        TesseractClient.ForHome(node.Home).InvokeAsync<List<string>>("signal-reload", null, Bound);

    private static string? Text(string path) => File.Exists(path) ? File.ReadAllText(path) : null;

    private static (TestNode Node, string Folder, SignalRecord Signal) Publisher(Action<string> seed)
    {
        var node = TestNode.Start("publisher");
        var folder = Path.Combine(node.Temp.Scratch, "blog");
        Directory.CreateDirectory(folder);
        seed(folder);
        var signal = Signals.Open(node.Home, folder, "blog", [node.PeerAddress]);
        Reload(node).GetAwaiter().GetResult();
        return (node, folder, signal);
    }

    private static async Task<(TestNode Node, string Folder)> SubscriberAsync(string name, string key)
    {
        var node = TestNode.Start(name);
        var folder = Path.Combine(node.Temp.Scratch, "blog-copy");
        Signals.Join(node.Home, key, folder, null);
        await Reload(node);
        return (node, folder);
    }

    [Fact]
    public async Task Releases_reach_subscribers_and_local_edits_stay_local()
    {
        var (publisher, folder, signal) = Publisher(f => File.WriteAllText(Path.Combine(f, "index.html"), "<h1>v1</h1>"));
        await using var _p = publisher;
        var (reader, copy) = await SubscriberAsync("reader", signal.Key);
        await using var _r = reader;

        await Poll.UntilAsync(() => Text(Path.Combine(copy, "index.html")) == "<h1>v1</h1>", "release 1 at the subscriber", Bound);

        File.WriteAllText(Path.Combine(copy, "index.html"), "<h1>reader's own edit</h1>");
        File.WriteAllText(Path.Combine(copy, "notes.txt"), "mine");
        await Task.Delay(500);
        File.WriteAllText(Path.Combine(folder, "index.html"), "<h1>v2</h1>");
        File.WriteAllText(Path.Combine(folder, "post.md"), "hello");

        await Poll.UntilAsync(() => Text(Path.Combine(copy, "index.html")) == "<h1>v2</h1>" && File.Exists(Path.Combine(copy, "post.md")), "release 2 at the subscriber", Bound);
        Assert.False(File.Exists(Path.Combine(folder, "notes.txt")));
        Assert.DoesNotContain(Directory.EnumerateFiles(folder), f => f.Contains("sync-conflict"));
        var kept = Directory.EnumerateFiles(copy).Single(f => Path.GetFileName(f).StartsWith("index.sync-conflict-", StringComparison.Ordinal));
        Assert.Equal("<h1>reader's own edit</h1>", File.ReadAllText(kept));
        // The files land before the release is recorded as held: wait for that, and for the scan that sees notes.txt.
        List<SignalRelease> status = [];
        var client = TesseractClient.ForHome(reader.Home);
        for (var attempt = 0; attempt < 100 && !(status.Count == 1 && status[0].Release >= 2 && status[0].LocalEdits.Contains("notes.txt")); attempt++)
        {
            if (attempt > 0) await Task.Delay(100);
            status = await client.InvokeAsync<List<SignalRelease>>("signal-status", null, Bound);
        }
        Assert.Contains("notes.txt", Assert.Single(status).LocalEdits);
        Assert.True(Assert.Single(status).Release >= 2);

        File.Delete(Path.Combine(folder, "post.md"));
        await Poll.UntilAsync(() => !File.Exists(Path.Combine(copy, "post.md")), "the deletion at the subscriber", Bound);
        Assert.Equal("mine", Text(Path.Combine(copy, "notes.txt")));
    }

    [Fact]
    public async Task A_subscriber_relays_releases_it_cannot_forge()
    {
        var (publisher, folder, signal) = Publisher(f => File.WriteAllText(Path.Combine(f, "a.txt"), "from the publisher"));
        await using var _p = publisher;
        var (relay, relayCopy) = await SubscriberAsync("relay", signal.Key);
        await using var _r = relay;
        await Poll.UntilAsync(() => File.Exists(Path.Combine(relayCopy, "a.txt")), "the relay's copy", Bound);

        // The late subscriber cannot reach the publisher (its key lists a dead address): it gets the release through the relay.
        var unreachable = ShareKey.Parse(signal.Key) with { Addresses = ["127.0.0.1:1"] };
        var (late, lateCopy) = await SubscriberAsync("late", unreachable.ToString());
        await using var _l = late;
        await late.Node.ConnectAsync(relay.PeerAddress, CancellationToken.None);

        await Poll.UntilAsync(() => Text(Path.Combine(lateCopy, "a.txt")) == "from the publisher", "the release through the relay", Bound);
    }

    [Fact]
    public async Task A_forged_head_is_refused_and_reported()
    {
        var (publisher, _, signal) = Publisher(f => File.WriteAllText(Path.Combine(f, "a.txt"), "x"));
        await using var _p = publisher;
        var (reader, copy) = await SubscriberAsync("reader", signal.Key);
        await using var _r = reader;
        await Poll.UntilAsync(() => File.Exists(Path.Combine(copy, "a.txt")), "release 1", Bound);
        var link = publisher.Node.FindLink(reader.Node.QuantumId)!;

        var forged = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new
        {
            type = SignalService.HeadMessage, signal = signal.Id, release = 99, manifest = new string('a', 64), size = 10, signature = Convert.ToBase64String(new byte[64]),
        });
        await link.SendAsync(forged, CancellationToken.None);

        await Poll.UntilAsync(() => reader.Events.Any(e => e.Kind == "Misbehaved" && e.Message.Contains("SignalHeadForged")), "the reader to refuse the forged head", Bound);
        Assert.Equal("x", File.ReadAllText(Path.Combine(copy, "a.txt")));
    }

    [Fact]
    public async Task A_relay_serving_a_tampered_manifest_or_chunk_is_refused()
    {
        var (publisher, _, signal) = Publisher(f => File.WriteAllText(Path.Combine(f, "a.txt"), "the publisher's words"));
        await using var _p = publisher;
        var (relay, relayCopy) = await SubscriberAsync("relay", signal.Key);
        await using var _r = relay;
        await Poll.UntilAsync(() => File.Exists(Path.Combine(relayCopy, "a.txt")), "the relay's copy", Bound);
        await publisher.DisposeAsync();

        // The relay's disk is altered: its copy of the file and the stored manifest of release 1.
        File.WriteAllText(Path.Combine(relayCopy, "a.txt"), "a relay's forgery!!!!");
        var manifest = Path.Combine(relay.Home.Path, "signals", signal.Id, "manifest.bin");
        var bytes = File.ReadAllBytes(manifest);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(manifest, bytes);

        var unreachable = ShareKey.Parse(signal.Key) with { Addresses = ["127.0.0.1:1"] };
        var (late, lateCopy) = await SubscriberAsync("late", unreachable.ToString());
        await using var _l = late;
        await late.Node.ConnectAsync(relay.PeerAddress, CancellationToken.None);

        await Poll.UntilAsync(() => late.Events.Any(e => e.Kind == "Misbehaved" && e.Message.Contains("SignalManifestMismatch")), "the late subscriber to refuse the manifest", Bound);
        Assert.False(File.Exists(Path.Combine(lateCopy, "a.txt")));
    }

    [Fact]
    public async Task A_projects_signal_page_is_fetchable_from_the_publisher_by_address()
    {
        await using var alice = TestNode.Start("alice");
        var project = Dreamwell.Projects.ProjectScaffold.Create(alice.Temp.Scratch, "hello", alice.Node.QuantumId,
            Dreamwell.Projects.ProjectTemplate.Blank, force: false, DateTimeOffset.UtcNow);
        Signals.Open(alice.Home, Path.Combine(project.Path, "signal"), "hello", [alice.PeerAddress]);
        await Reload(alice);
        await using var bob = TestNode.Start("bob");
        await bob.Node.ConnectAsync(alice.PeerAddress, CancellationToken.None);
        var client = TesseractClient.ForHome(bob.Home);
        var page = File.ReadAllBytes(Path.Combine(project.Path, "signal", "index.html"));

        foreach (var name in new[] { "signal/index.html", "hello/index.html" })
        {
            var destination = bob.Temp.File(name.Replace('/', '-'));
            var fetched = await RetryAsync(() => client.InvokeAsync<ContentFetchResult>("fetch", new { peer = alice.Node.QuantumId, name, destination }, Bound));
            Assert.Equal(page, File.ReadAllBytes(destination));
            Assert.Equal(Blake3Hash.Hex(page), fetched.ContentHash);
        }
    }

    /// <summary>The publisher indexes its folder right after start; until then the name is not there yet.</summary>
    private static async Task<T> RetryAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 0; ; attempt++)
        {
            try { return await call(); }
            catch (DreamException) when (attempt < 50) { await Task.Delay(100); }
        }
    }
}
