using System.Net;

namespace Dreamwell.Node.Discovery;

/// <summary>
/// Announces one node on the link and answers DNS-SD queries for it. Start sends the record set twice,
/// one second apart (RFC 6762 §8.3), then every <see cref="DiscoveryOptions.AnnounceInterval"/>;
/// Dispose sends a goodbye (TTL 0) so browsers drop the node at once.
/// </summary>
public sealed class Announcer : IDisposable
{
    private readonly ServiceAnnouncement _announcement;
    private readonly DiscoveryOptions _options;
    private readonly AnswerRateLimiter _limiter;
    private readonly string _instance;
    private readonly string _host;
    private readonly CancellationTokenSource _stop = new();
    private MulticastTransport? _transport;
    private Task? _loop;
    private long _answersSent;
    private long _answersSuppressed;

    public Announcer(ServiceAnnouncement announcement, DiscoveryOptions? options = null, TimeProvider? clock = null)
    {
        _announcement = announcement;
        _options = options ?? new DiscoveryOptions();
        _options.Validate();
        _limiter = new AnswerRateLimiter(_options.MinAnswerInterval, _options.MaxAnswersPerSecond, clock ?? TimeProvider.System);
        _instance = ServiceRecords.InstanceFqdn(announcement, _options);
        _host = ServiceRecords.HostFqdn(announcement);
    }

    public ServiceAnnouncement Announcement => _announcement;
    public long AnswersSent => Interlocked.Read(ref _answersSent);
    /// <summary>Queries left unanswered by the rate limit.</summary>
    public long AnswersSuppressed => Interlocked.Read(ref _answersSuppressed);
    public long MalformedPackets => _transport?.MalformedPackets ?? 0;

    /// <summary>Opens the socket (throws <see cref="DiscoveryErrors.SocketUnavailable"/>) and starts announcing.</summary>
    public void Start()
    {
        if (_transport is not null) throw new InvalidOperationException("The announcer has already started.");
        _transport = new MulticastTransport(_options, OnMessage);
        _loop = Task.Run(AnnounceLoop);
    }

    private async Task AnnounceLoop()
    {
        try
        {
            Announce();
            await Task.Delay(TimeSpan.FromSeconds(1), _stop.Token).ConfigureAwait(false);
            while (true)
            {
                Announce();
                await Task.Delay(_options.AnnounceInterval, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) { }
    }

    private void Announce() => _transport?.Send(ServiceRecords.Announcement(_announcement, _options, RecordTtl));

    private uint RecordTtl => (uint)_options.RecordTtl.TotalSeconds;

    private void OnMessage(DnsMessage message, IPEndPoint source)
    {
        if (message.IsResponse) return;
        foreach (var question in message.Questions)
        {
            DnsMessage? answer = AnswerFor(question);
            if (answer is null) continue;
            if (!_limiter.TryAcquire(question.Name)) { Interlocked.Increment(ref _answersSuppressed); continue; }
            _transport?.Send(answer);
            Interlocked.Increment(ref _answersSent);
        }
    }

    private DnsMessage? AnswerFor(DnsQuestion question)
    {
        bool Asks(string name, ushort type) => DnsMessage.NameEquals(question.Name, name) && (question.Type == type || question.Type == DnsType.Any);
        if (Asks(_options.ServiceType, DnsType.Ptr) || Asks(_instance, DnsType.Srv) || Asks(_instance, DnsType.Txt) || Asks(_host, DnsType.A))
            return ServiceRecords.Announcement(_announcement, _options, RecordTtl);
        if (Asks(ServiceRecords.ServiceEnumeration, DnsType.Ptr))
            return ServiceRecords.ServiceTypeAnswer(_options, RecordTtl);
        return null;
    }

    public void Dispose()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        try { _loop?.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
        if (_transport is not null)
        {
            _transport.Send(ServiceRecords.Announcement(_announcement, _options, ttl: 0));
            _transport.Dispose();
        }
        _stop.Dispose();
    }
}
