using System.Diagnostics;

namespace Dreamwell.Node.Admission;

/// <summary>
/// Inbound handshake attempts per second, as a sliding one-second window (the previous whole second weighted by
/// how much of it still overlaps the window, plus the current one).
/// </summary>
internal sealed class LoadMeter
{
    private readonly object _gate = new();
    private readonly Func<long> _clock;
    private long _second;
    private long _current;
    private long _previous;

    public LoadMeter(Func<long>? millisecondsClock = null) => _clock = millisecondsClock ?? (() => Environment.TickCount64);

    public void Record()
    {
        lock (_gate)
        {
            Advance(_clock());
            _current++;
        }
    }

    public double PerSecond
    {
        get
        {
            lock (_gate)
            {
                var now = _clock();
                Advance(now);
                var intoSecond = (now % 1000) / 1000.0;
                return _previous * (1 - intoSecond) + _current;
            }
        }
    }

    private void Advance(long now)
    {
        var second = now / 1000;
        if (second == _second) return;
        _previous = second == _second + 1 ? _current : 0;
        _current = 0;
        _second = second;
    }
}
