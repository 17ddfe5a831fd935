using System.Globalization;
using System.Text;

namespace Dreamwell.Host;

/// <summary>
/// Translates `dream tesseract …` into the PowerShell text the host runs:
///   dream tesseract start [--name N] [--control-port P] [--peer-port P] [--heartbeat-ms MS]
///       [--discovery-port P | --no-discovery] [--discovery-interface IPV4]
///       runs the node in the foreground, printing its events, until Ctrl+C or a stop request (Stop-Tesseract)
///   dream tesseract stop | status | peers | connect HOST:PORT
/// Returns null when the arguments are not a tesseract command; throws ArgumentException (message for the user) on bad flags.
/// Ports are emitted as validated numbers and text as single-quoted literals, so nothing the user types is executed.
/// </summary>
internal static class TesseractVerbs
{
    public const string Usage = "usage: dream tesseract start [--name N] [--control-port P] [--peer-port P] [--heartbeat-ms MS] [--discovery-port P | --no-discovery] [--discovery-interface IPV4] | stop | status | peers | connect HOST:PORT";

    public static string? ToScript(string[] args)
    {
        var list = args.ToList();
        if (list.Count > 0 && list[0].Equals("tesseract", StringComparison.OrdinalIgnoreCase)) list.RemoveAt(0);
        if (list.Count == 0) return null;
        var verb = list[0].ToLowerInvariant();
        list.RemoveAt(0);
        switch (verb)
        {
            case "start":
                return Start(list);
            case "stop":
                NoMore(verb, list);
                return "Stop-Tesseract";
            case "status":
                NoMore(verb, list);
                return "Get-TesseractStatus";
            case "peers":
                NoMore(verb, list);
                return "Get-TesseractPeer";
            case "connect":
                if (list.Count != 1 || list[0].StartsWith("--", StringComparison.Ordinal))
                    throw new ArgumentException("connect needs one peer address, for example: dream tesseract connect 127.0.0.1:9618");
                return $"Connect-Tesseract -Peer {PowerShellLiteral.Quote(list[0])}";
            default:
                return null;
        }
    }

    private static string Start(List<string> list)
    {
        var parameters = new StringBuilder();
        for (var i = 0; i < list.Count; i++)
        {
            var flag = list[i];
            if (flag.Equals("--no-discovery", StringComparison.OrdinalIgnoreCase))
            {
                parameters.Append(" -NoDiscovery");
                continue;
            }
            string? value = null;
            var equals = flag.IndexOf('=');
            if (flag.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                value = flag[(equals + 1)..];
                flag = flag[..equals];
            }
            if (value is null)
            {
                if (i + 1 >= list.Count) throw new ArgumentException($"{flag} needs a value.");
                value = list[++i];
            }
            switch (flag.ToLowerInvariant())
            {
                case "--name":
                    parameters.Append(" -Name ").Append(PowerShellLiteral.Quote(value));
                    break;
                case "--control-port":
                    parameters.Append(" -ControlPort ").Append(Port(flag, value));
                    break;
                case "--peer-port":
                    parameters.Append(" -PeerPort ").Append(Port(flag, value));
                    break;
                case "--discovery-port":
                    var discovery = Port(flag, value);
                    if (discovery == "0") throw new ArgumentException("--discovery-port needs a port between 1 and 65535 (use --no-discovery to turn discovery off).");
                    parameters.Append(" -DiscoveryPort ").Append(discovery);
                    break;
                case "--discovery-interface":
                    if (!System.Net.IPAddress.TryParse(value, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
                        throw new ArgumentException($"--discovery-interface needs an IPv4 address (the LAN interface to announce on); got '{value}'.");
                    parameters.Append(" -DiscoveryInterface ").Append(PowerShellLiteral.Quote(address.ToString()));
                    break;
                case "--heartbeat-ms":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms is < 10 or > 3_600_000)
                        throw new ArgumentException($"--heartbeat-ms needs a whole number of milliseconds between 10 and 3600000; got '{value}'.");
                    parameters.Append(" -HeartbeatInterval ([timespan]::FromMilliseconds(").Append(ms.ToString(CultureInfo.InvariantCulture)).Append("))");
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{flag}'. {Usage}");
            }
        }
        // Foreground: stream the node's events until it stops (Stop-Tesseract) or Ctrl+C ends Receive-Job; always stop the node.
        return "$tesseract = Start-Tesseract" + parameters + " -ErrorAction Stop; "
            + "try { $tesseract | Receive-Job -Wait } finally { $tesseract | Stop-Job; $tesseract | Remove-Job -Force }";
    }

    private static string Port(string flag, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65535
            ? port.ToString(CultureInfo.InvariantCulture)
            : throw new ArgumentException($"{flag} needs a port between 0 and 65535; got '{text}'.");

    private static void NoMore(string verb, List<string> rest)
    {
        if (rest.Count > 0) throw new ArgumentException($"'{verb}' takes no options; got '{rest[0]}'.");
    }
}
