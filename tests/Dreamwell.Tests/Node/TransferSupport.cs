using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Dreamwell.Identity;
using Dreamwell.Node;
using Dreamwell.Node.Secure;
using Dreamwell.Tests.Support;

namespace Dreamwell.Tests.Node;

/// <summary>What the transfer tests share: random files, the node's transfer services, and a hand-driven rogue peer.</summary>
internal static class TransferSupport
{
    public static string RandomFile(TempHome temp, string name, int bytes, int seed)
    {
        var data = new byte[bytes];
        new Random(seed).NextBytes(data);
        var path = temp.File(name);
        File.WriteAllBytes(path, data);
        return path;
    }

    public static FileTransfer Files(this TestNode node) => node.Node.Services.OfType<FileTransfer>().Single();

    public static ContentExchange Content(this TestNode node) => node.Node.Services.OfType<ContentExchange>().Single();

    public static async Task<(TestNode A, TestNode B)> ConnectedPairAsync(string a, string b)
    {
        var first = TestNode.Start(a);
        var second = TestNode.Start(b);
        await first.Node.ConnectAsync(second.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound);
        await Poll.UntilAsync(() => second.Node.FindLink(a) is not null, $"{b} to see {a}");
        return (first, second);
    }

    public static string InboxFile(TestNode node, string name) => Path.Combine(InboxName.Folder(node.Home), name);

    /// <summary>Progress that runs its handler on the reporting thread, so a test can act at an exact point of a send.</summary>
    public sealed class Inline(Action<DreamProgress> handler) : IProgress<DreamProgress>
    {
        public void Report(DreamProgress value) => handler(value);
    }
}
