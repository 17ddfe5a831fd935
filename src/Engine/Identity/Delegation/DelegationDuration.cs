using System.Globalization;
using System.Text.RegularExpressions;

namespace Dreamwell.Identity;

/// <summary>
/// How long a delegation lasts, written the way people say it: "24h", "7d", "90m", "1d12h", "2w", or a TimeSpan
/// ("1.12:00:00"). Bounded to <see cref="Min"/>..<see cref="DelegationCertificate.MaxLifetime"/>.
/// </summary>
public static partial class DelegationDuration
{
    public static readonly TimeSpan Min = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan Default = TimeSpan.FromHours(24);

    [GeneratedRegex(@"^\s*(?:(\d{1,5})\s*(w|d|h|m|s)\s*)+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Units();

    public static TimeSpan Parse(string text)
    {
        var match = Units().Match(text ?? "");
        TimeSpan duration;
        if (match.Success && match.Groups[1].Captures.Count <= 5)
        {
            duration = TimeSpan.Zero;
            for (var i = 0; i < match.Groups[1].Captures.Count; i++)
            {
                var amount = long.Parse(match.Groups[1].Captures[i].Value, CultureInfo.InvariantCulture);
                duration += char.ToLowerInvariant(match.Groups[2].Captures[i].Value[0]) switch
                {
                    'w' => TimeSpan.FromDays(7 * amount),
                    'd' => TimeSpan.FromDays(amount),
                    'h' => TimeSpan.FromHours(amount),
                    'm' => TimeSpan.FromMinutes(amount),
                    _ => TimeSpan.FromSeconds(amount),
                };
            }
        }
        else if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration))
        {
            throw new DreamException(DelegationErrors.BadDuration, DreamErrorKind.InvalidArgument,
                $"'{text}' is not a duration: write for example 30m, 24h, 7d, 1d12h, 2w, or a TimeSpan such as 1.12:00:00.");
        }
        return Check(duration);
    }

    public static TimeSpan Check(TimeSpan duration)
    {
        if (duration < Min || duration > DelegationCertificate.MaxLifetime)
            throw new DreamException(DelegationErrors.BadDuration, DreamErrorKind.InvalidArgument,
                $"A delegation lasts from {Min.TotalMinutes:0} minute to {DelegationCertificate.MaxLifetime.TotalDays:0} days; {duration} is outside that.");
        return duration;
    }
}
