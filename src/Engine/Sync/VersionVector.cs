using System.Collections.Immutable;
using System.Text;

namespace Dreamwell.Sync;

/// <summary>How two version vectors relate (Syncthing's Ordering).</summary>
public enum VersionOrder
{
    Equal,
    Greater,
    Lesser,
    ConcurrentGreater,
    ConcurrentLesser,
}

/// <summary>
/// A version vector: one counter per device (its QuantumId) that has changed a file. A device that changes a
/// file sets its own counter to max(all counters, its clock) + 1. Immutable; the text form is
/// "qid:counter,qid:counter" with ids sorted (docs/sync.md, "Version vectors").
/// </summary>
public sealed class VersionVector : IEquatable<VersionVector>
{
    public const int MaxDevices = 256;
    public static readonly VersionVector Empty = new(ImmutableSortedDictionary<string, ulong>.Empty.WithComparers(StringComparer.Ordinal));

    private readonly ImmutableSortedDictionary<string, ulong> _counters;

    private VersionVector(ImmutableSortedDictionary<string, ulong> counters) => _counters = counters;

    public IReadOnlyDictionary<string, ulong> Counters => _counters;

    public ulong this[string device] => _counters.GetValueOrDefault(device);

    public bool IsEmpty => _counters.IsEmpty;

    /// <summary>The vector after <paramref name="device"/> changed the file.</summary>
    public VersionVector Update(string device, ulong clock = 0)
    {
        var next = Math.Max(_counters.Values.DefaultIfEmpty(0UL).Max(), clock) + 1;
        var counters = _counters.SetItem(device, next);
        if (counters.Count > MaxDevices) throw TooMany();
        return new VersionVector(counters);
    }

    /// <summary>Element-wise maximum: the vector of a resolved conflict dominates both sides.</summary>
    public VersionVector Merge(VersionVector other)
    {
        var counters = _counters;
        foreach (var (device, counter) in other._counters)
            if (counter > counters.GetValueOrDefault(device)) counters = counters.SetItem(device, counter);
        if (counters.Count > MaxDevices) throw TooMany();
        return new VersionVector(counters);
    }

    public VersionOrder Compare(VersionVector other)
    {
        bool greater = false, lesser = false;
        foreach (var device in _counters.Keys.Union(other._counters.Keys))
        {
            var a = this[device];
            var b = other[device];
            if (a > b) greater = true;
            else if (a < b) lesser = true;
        }
        if (!greater && !lesser) return VersionOrder.Equal;
        if (greater && !lesser) return VersionOrder.Greater;
        if (lesser && !greater) return VersionOrder.Lesser;
        // Concurrent: a deterministic tie-break both sides compute the same way.
        return string.CompareOrdinal(ToString(), other.ToString()) > 0 ? VersionOrder.ConcurrentGreater : VersionOrder.ConcurrentLesser;
    }

    public bool IsConcurrentWith(VersionVector other) => Compare(other) is VersionOrder.ConcurrentGreater or VersionOrder.ConcurrentLesser;

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (device, counter) in _counters)
        {
            if (text.Length > 0) text.Append(',');
            text.Append(device).Append(':').Append(counter);
        }
        return text.ToString();
    }

    public static VersionVector Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) return Empty;
        if (text.Length > MaxDevices * 48) throw Bad("too long");
        var builder = ImmutableSortedDictionary.CreateBuilder<string, ulong>(StringComparer.Ordinal);
        foreach (var part in text.Split(','))
        {
            var colon = part.IndexOf(':');
            if (colon <= 0 || colon > 64 || !ulong.TryParse(part.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var counter) || counter == 0)
                throw Bad($"'{(part.Length > 40 ? part[..40] : part)}' is not device:counter");
            if (!builder.TryAdd(part[..colon], counter)) throw Bad("a device appears twice");
        }
        if (builder.Count > MaxDevices) throw TooMany();
        return new VersionVector(builder.ToImmutable());
    }

    public bool Equals(VersionVector? other) => other is not null && Compare(other) == VersionOrder.Equal;

    public override bool Equals(object? obj) => obj is VersionVector other && Equals(other);

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    private static DreamException Bad(string why) => new DreamFormatException("BadVersionVector", $"Not a version vector: {why}.");

    private static DreamException TooMany() => new(SyncErrors.LimitExceeded, DreamErrorKind.LimitExceeded, $"A version vector holds at most {MaxDevices} devices.");
}
