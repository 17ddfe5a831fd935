using Dreamwell.Tests.Node;

namespace Dreamwell.Bench;

/// <summary>
/// The flood of node-flood, in its own process so that its sockets and thread pool do not share the measured
/// nodes' process. Prints "attempts failed" when done.
/// Usage (started by node-flood): node-flood-source &lt;port&gt; &lt;seconds&gt; &lt;minimum attempts&gt;
/// </summary>
public sealed class NodeFloodSource : ISideBySide
{
    public string Name => "node-flood-source";

    public int Run(string[] args)
    {
        var flood = new LoopbackFlood(int.Parse(args[0]));
        flood.RunAsync(TimeSpan.FromSeconds(double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture)), long.Parse(args[2]), CancellationToken.None).GetAwaiter().GetResult();
        Console.WriteLine($"{flood.Attempts} {flood.Failed}");
        return 0;
    }
}
