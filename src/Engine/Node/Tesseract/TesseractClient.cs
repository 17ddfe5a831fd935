using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Dreamwell.Node;

/// <summary>
/// Talks LQTP to the node of a home: the port comes from $DREAMWELL_HOME/tesseract.json, the token from
/// $DREAMWELL_HOME/control.token. One connection per call.
/// </summary>
public sealed class TesseractClient
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    private readonly string _token;

    public TesseractClient(int controlPort, string token)
    {
        ControlPort = controlPort;
        _token = token;
    }

    public int ControlPort { get; }

    /// <summary>Longest a call may take end to end (connect calls get the node's own 30 s bound on top).</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    public static TesseractClient ForHome(DreamHome home)
    {
        var info = TesseractNode.ReadInfo(home)
            ?? throw new DreamException(TesseractErrors.NotRunning, DreamErrorKind.NotFound,
                $"No tesseract runs for '{home.Path}' (no {TesseractNode.InfoFileName}). Start one with Start-Tesseract or `dream tesseract start`.");
        return new TesseractClient(info.ControlPort, ControlToken.Read(home));
    }

    public async Task<TesseractStatus> StatusAsync(CancellationToken cancellationToken = default) =>
        Deserialize<TesseractStatus>(await CallAsync("status", null, Timeout, cancellationToken).ConfigureAwait(false));

    public async Task<IReadOnlyList<TesseractPeer>> PeersAsync(CancellationToken cancellationToken = default) =>
        Deserialize<List<TesseractPeer>>(await CallAsync("peers", null, Timeout, cancellationToken).ConfigureAwait(false));

    public async Task<TesseractPeer> ConnectAsync(string address, CancellationToken cancellationToken = default) =>
        Deserialize<TesseractPeer>(await CallAsync("connect", new { address }, Timeout + TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false));

    public async Task StopAsync(CancellationToken cancellationToken = default) =>
        await CallAsync("stop", null, Timeout, cancellationToken).ConfigureAwait(false);

    /// <summary>Calls an LQTP method a peer service registered and deserializes its result (camelCase JSON).</summary>
    public async Task<T> InvokeAsync<T>(string method, object? parameters, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        Deserialize<T>(await CallAsync(method, parameters, timeout, cancellationToken).ConfigureAwait(false));

    /// <summary>Sends one request with the given token (tests use this to try a wrong one) and returns "result".</summary>
    internal async Task<JsonElement> CallAsync(string method, object? parameters, TimeSpan timeout, CancellationToken cancellationToken, string? tokenOverride = null)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        using var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, ControlPort, bounded.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            var request = LqtpJson.Line(new { token = tokenOverride ?? _token, method, @params = parameters });
            await stream.WriteAsync(request, bounded.Token).ConfigureAwait(false);
            var line = await new BoundedLineReader(stream, 4 * 1024 * 1024).ReadLineAsync(bounded.Token).ConfigureAwait(false)
                ?? throw new DreamException(TesseractErrors.NotRunning, DreamErrorKind.ResourceUnavailable, "The tesseract closed the control connection without answering.");
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True)
                return root.TryGetProperty("result", out var result) ? result.Clone() : default;
            var error = root.GetProperty("error");
            var kind = Enum.TryParse<DreamErrorKind>(error.GetProperty("kind").GetString(), out var k) ? k : DreamErrorKind.InvalidOperation;
            throw new DreamException(error.GetProperty("id").GetString() ?? "TesseractError", kind, error.GetProperty("message").GetString() ?? "The tesseract refused the request.");
        }
        catch (SocketException e)
        {
            throw new DreamException(TesseractErrors.NotRunning, DreamErrorKind.ResourceUnavailable,
                $"No tesseract answers on 127.0.0.1:{ControlPort} ({e.SocketErrorCode}); tesseract.json may be stale. Start one with Start-Tesseract.", e);
        }
        catch (IOException e)
        {
            throw new DreamException(TesseractErrors.NotRunning, DreamErrorKind.ResourceUnavailable, $"The control connection to 127.0.0.1:{ControlPort} broke: {e.Message}", e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DreamException(TesseractErrors.NotRunning, DreamErrorKind.ResourceUnavailable, $"The tesseract on 127.0.0.1:{ControlPort} did not answer '{method}' within {timeout.TotalSeconds:0} s.");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new DreamException(TesseractErrors.ControlBadRequest, DreamErrorKind.InvalidData, $"The tesseract's answer is not valid LQTP: {e.Message}", e);
        }
    }

    private static T Deserialize<T>(JsonElement element) =>
        element.Deserialize<T>(LqtpJson.Options) ?? throw new DreamException(TesseractErrors.ControlBadRequest, DreamErrorKind.InvalidData, "The tesseract answered with an empty result.");
}
