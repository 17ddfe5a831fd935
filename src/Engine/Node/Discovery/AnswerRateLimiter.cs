namespace Dreamwell.Node.Discovery;

/// <summary>
/// Answers at most once per question name per interval (RFC 6762 §6) and at most a fixed number per
/// second overall, so a flood of queries cannot turn an announcer into an amplifier.
/// </summary>
internal sealed class AnswerRateLimiter(TimeSpan minInterval, int maxPerSecond, TimeProvider clock)
{
    private const int MaxRemembered = 256;
    private readonly Dictionary<string, DateTimeOffset> _lastAnswered = new(StringComparer.OrdinalIgnoreCase);
    private readonly object _gate = new();
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    private int _inWindow;

    public bool TryAcquire(string questionKey)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (now - _windowStart >= TimeSpan.FromSeconds(1)) { _windowStart = now; _inWindow = 0; }
            if (_inWindow >= maxPerSecond) return false;
            if (_lastAnswered.TryGetValue(questionKey, out var last) && now - last < minInterval) return false;
            if (_lastAnswered.Count >= MaxRemembered) _lastAnswered.Clear();
            _lastAnswered[questionKey] = now;
            _inWindow++;
            return true;
        }
    }
}
