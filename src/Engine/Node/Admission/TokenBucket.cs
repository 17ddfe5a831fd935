namespace Dreamwell.Node.Admission;

/// <summary>A token bucket: holds at most <c>capacity</c> tokens, refilled at <c>perSecond</c>; one token per message.</summary>
internal sealed class TokenBucket
{
    private readonly double _capacity;
    private readonly double _perMillisecond;
    private readonly Func<long> _clock;
    private readonly object _gate = new();
    private double _tokens;
    private long _last;

    public TokenBucket(double perSecond, int capacity, Func<long>? millisecondsClock = null)
    {
        if (perSecond <= 0 || capacity < 1) throw new ArgumentOutOfRangeException(nameof(perSecond), "A token bucket needs a positive rate and capacity.");
        _capacity = capacity;
        _perMillisecond = perSecond / 1000;
        _clock = millisecondsClock ?? (() => Environment.TickCount64);
        _tokens = capacity;
        _last = _clock();
    }

    public bool TryTake()
    {
        lock (_gate)
        {
            var now = _clock();
            _tokens = Math.Min(_capacity, _tokens + (now - _last) * _perMillisecond);
            _last = now;
            if (_tokens < 1) return false;
            _tokens--;
            return true;
        }
    }
}
