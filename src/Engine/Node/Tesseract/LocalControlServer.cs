using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Dreamwell.Node;

/// <summary>
/// LQTP, the local control protocol: newline-delimited JSON requests and responses over TCP on loopback,
/// each request carrying the control token. See docs/protocol.md, "Local control (LQTP)".
/// </summary>
internal sealed class LocalControlServer
{
    public const int MaxRequestBytes = 8 * 1024;
    private const int MaxConnections = 32;
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    private readonly string _token;
    private TesseractNode? _node;
    private int _connections;

    public LocalControlServer(TcpListener listener, string token)
    {
        Listener = listener;
        _token = token;
    }

    public TcpListener Listener { get; }

    private readonly Dictionary<string, ControlMethod> _methods = new(StringComparer.Ordinal);

    public void Attach(TesseractNode node) => _node = node;

    /// <summary>Adds a method a peer service answers; built-in names cannot be replaced.</summary>
    public void Register(string method, ControlMethod handler)
    {
        if (method is "status" or "peers" or "connect" or "stop") throw new InvalidOperationException($"'{method}' is a built-in LQTP method.");
        _methods.Add(method, handler);
    }

    public async Task ServeAsync(CancellationToken stopping)
    {
        var sessions = new List<Task>();
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await Listener.AcceptTcpClientAsync(stopping).ConfigureAwait(false); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { if (stopping.IsCancellationRequested) break; continue; }
            if (Interlocked.Increment(ref _connections) > MaxConnections)
            {
                Interlocked.Decrement(ref _connections);
                client.Dispose();
                continue;
            }
            sessions.RemoveAll(t => t.IsCompleted);
            sessions.Add(Task.Run(() => SessionAsync(client, stopping), CancellationToken.None));
        }
        await Task.WhenAll(sessions).ConfigureAwait(false);
    }

    private async Task SessionAsync(TcpClient client, CancellationToken stopping)
    {
        var stopAfterReply = false;
        try
        {
            using (client)
            {
                client.NoDelay = true;
                var stream = client.GetStream();
                var reader = new BoundedLineReader(stream, MaxRequestBytes);
                while (!stopping.IsCancellationRequested)
                {
                    using var idle = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                    idle.CancelAfter(IdleTimeout);
                    byte[]? line;
                    try
                    {
                        line = await reader.ReadLineAsync(idle.Token).ConfigureAwait(false);
                    }
                    catch (DreamException e) when (e.ErrorId == TesseractErrors.ControlRequestTooLarge)
                    {
                        await WriteAsync(stream, Failure(e), stopping).ConfigureAwait(false);
                        return;
                    }
                    if (line is null) return;
                    var (response, stop) = await HandleAsync(line, stopping).ConfigureAwait(false);
                    await WriteAsync(stream, response, stopping).ConfigureAwait(false);
                    if (stop) { stopAfterReply = true; return; }
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // A control client that vanishes or idles only ends its own session.
        }
        finally
        {
            Interlocked.Decrement(ref _connections);
            if (stopAfterReply) _node?.RequestStop();
        }
    }

    private async Task<(byte[] Response, bool Stop)> HandleAsync(byte[] line, CancellationToken stopping)
    {
        var node = _node ?? throw new InvalidOperationException("The control server has no node.");
        try
        {
            using var document = ParseRequest(line);
            var root = document.RootElement;
            var token = root.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (!ControlToken.Matches(_token, token)) throw TesseractErrors.Unauthorized();
            var method = root.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
            switch (method)
            {
                case "status":
                    return (Success(node.Status()), false);
                case "peers":
                    return (Success(node.Peers()), false);
                case "connect":
                    var address = root.TryGetProperty("params", out var p) && p.ValueKind == JsonValueKind.Object
                        && p.TryGetProperty("address", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : "";
                    using (var bounded = CancellationTokenSource.CreateLinkedTokenSource(stopping))
                    {
                        bounded.CancelAfter(ConnectTimeout);
                        return (Success(await PeerDialer.ConnectAsync(node, address, bounded.Token).ConfigureAwait(false)), false);
                    }
                case "stop":
                    return (Success(new { stopping = true }), true);
                case var other when _methods.TryGetValue(other, out var handler):
                    var parameters = root.TryGetProperty("params", out var given) ? given.Clone() : default;
                    return (Success(await handler(parameters, stopping).ConfigureAwait(false)), false);
                default:
                    throw new DreamException(TesseractErrors.UnknownMethod, DreamErrorKind.InvalidArgument,
                        $"Unknown LQTP method '{(method.Length > 40 ? method[..40] + "…" : method)}'; known: {string.Join(", ", new[] { "status", "peers", "connect", "stop" }.Concat(_methods.Keys.Order()))}.");
            }
        }
        catch (DreamException e)
        {
            return (Failure(e), false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            // A service's unexpected failure is the caller's answer, not a dropped connection.
            return (Failure(new DreamException("ControlMethodFailed", DreamErrorKind.InvalidOperation, $"{e.GetType().Name}: {e.Message}", e)), false);
        }
    }

    private static JsonDocument ParseRequest(byte[] line)
    {
        try
        {
            var document = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 4 });
            if (document.RootElement.ValueKind == JsonValueKind.Object) return document;
            document.Dispose();
        }
        catch (JsonException) { }
        throw new DreamException(TesseractErrors.ControlBadRequest, DreamErrorKind.InvalidArgument, "An LQTP request is one JSON object on one line.");
    }

    private static byte[] Success(object result) => LqtpJson.Line(new { ok = true, result });

    private static byte[] Failure(DreamException e) =>
        LqtpJson.Line(new { ok = false, error = new { id = e.ErrorId, kind = e.Kind.ToString(), message = e.Message } });

    private static async Task WriteAsync(NetworkStream stream, byte[] response, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(response, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The JSON settings both ends of LQTP use (camelCase names, compact, one line).</summary>
internal static class LqtpJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>One message as it goes on the wire: compact JSON and '\n', in one buffer (one write, no Nagle stall).</summary>
    public static byte[] Line(object value)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(value, Options);
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        return line;
    }
}

/// <summary>Reads '\n'-terminated lines from a stream, refusing any line longer than a bound.</summary>
internal sealed class BoundedLineReader(Stream stream, int maxLineBytes)
{
    private readonly byte[] _buffer = new byte[maxLineBytes + 1];
    private int _start;
    private int _end;

    /// <summary>The next line without its terminator (a trailing '\r' is dropped), or null at end of stream.</summary>
    public async Task<byte[]?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var length = newline - _start;
                if (length > 0 && _buffer[newline - 1] == '\r') length--;
                var line = _buffer.AsSpan(_start, length).ToArray();
                _start = newline + 1;
                return line;
            }
            if (_end - _start > maxLineBytes)
                throw new DreamException(TesseractErrors.ControlRequestTooLarge, DreamErrorKind.LimitExceeded, $"An LQTP line is at most {maxLineBytes} bytes.");
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length)
                throw new DreamException(TesseractErrors.ControlRequestTooLarge, DreamErrorKind.LimitExceeded, $"An LQTP line is at most {maxLineBytes} bytes.");
            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0) return null;
            _end += read;
        }
    }
}
