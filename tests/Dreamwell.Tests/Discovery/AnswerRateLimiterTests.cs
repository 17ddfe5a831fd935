using Dreamwell.Node.Discovery;

namespace Dreamwell.Tests.Discovery;

public sealed class AnswerRateLimiterTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UnixEpoch;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void The_same_question_is_answered_once_per_interval()
    {
        var clock = new ManualClock();
        var limiter = new AnswerRateLimiter(TimeSpan.FromSeconds(1), maxPerSecond: 100, clock);

        Assert.True(limiter.TryAcquire("_tesseract._tcp.local"));
        Assert.False(limiter.TryAcquire("_TESSERACT._tcp.local"));
        clock.Now += TimeSpan.FromMilliseconds(1001);
        Assert.True(limiter.TryAcquire("_tesseract._tcp.local"));
    }

    [Fact]
    public void Distinct_questions_are_capped_per_second()
    {
        var clock = new ManualClock();
        var limiter = new AnswerRateLimiter(TimeSpan.FromSeconds(1), maxPerSecond: 5, clock);

        int answered = Enumerable.Range(0, 50).Count(i => limiter.TryAcquire($"q{i}.local"));
        Assert.Equal(5, answered);
        clock.Now += TimeSpan.FromSeconds(1);
        Assert.True(limiter.TryAcquire("fresh.local"));
    }
}
