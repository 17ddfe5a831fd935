using Dreamwell.Chain;
using Dreamwell.Identity;

namespace Dreamwell.Health;

public enum StatsScope
{
    Local,
    Identity,
}

/// <summary>
/// Figures for `dream stats`. Local: the work recorded in this home (receipts, bytes, time, disk used).
/// Identity: who this is and the state of its chain.
/// </summary>
public sealed record DreamStats
{
    public StatsScope Scope { get; init; }
    public string? QuantumId { get; init; }
    public string? Name { get; init; }
    public IdentityKind? Kind { get; init; }
    public DateTimeOffset? Created { get; init; }
    public long ChainLength { get; init; }
    public bool? ChainValid { get; init; }
    public DateTimeOffset? FirstSeal { get; init; }
    public DateTimeOffset? LastSeal { get; init; }
    public int Receipts { get; init; }
    public IReadOnlyDictionary<string, int> Operations { get; init; } = new Dictionary<string, int>();
    public long BytesIn { get; init; }
    public long BytesOut { get; init; }
    public long Verifications { get; init; }
    public TimeSpan TotalDuration { get; init; }
    public long HomeBytes { get; init; }
    public string HomePath { get; init; } = "";

    public static DreamStats Compute(DreamHome home, StatsScope scope)
    {
        var entries = SealChain.Read(home);
        var identity = IdentityStore.Exists(home) ? IdentityStore.Load(home) : null;
        var stats = new DreamStats
        {
            Scope = scope,
            HomePath = home.Path,
            QuantumId = identity?.QuantumId,
            Name = identity?.Name,
            ChainLength = entries.Count,
            FirstSeal = entries.FirstOrDefault()?.Time,
            LastSeal = entries.LastOrDefault()?.Time,
        };
        if (scope == StatsScope.Identity)
            return stats with { Kind = identity?.Kind, Created = identity?.Created, ChainValid = SealChain.Verify(home).IsValid };

        var receipts = ReceiptBook.Read(home);
        return stats with
        {
            Receipts = receipts.Count,
            Operations = receipts.GroupBy(r => r.Operation).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            BytesIn = receipts.Sum(r => r.BytesIn),
            BytesOut = receipts.Sum(r => r.BytesOut),
            Verifications = receipts.Sum(r => (long)r.Verifications),
            TotalDuration = TimeSpan.FromTicks(receipts.Sum(r => r.Duration.Ticks)),
            HomeBytes = Directory.Exists(home.Path)
                ? new DirectoryInfo(home.Path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length)
                : 0,
        };
    }
}
