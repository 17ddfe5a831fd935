using System.Globalization;
using System.Text.Json;

namespace Dreamwell.Node;

/// <summary>
/// FQTP version negotiation: each hello lists the versions its sender speaks; both sides pick the highest version in
/// both lists, so they agree without another round trip. A hello with only the older "version" member lists that one.
/// </summary>
public static class FqtpVersions
{
    /// <summary>What this build speaks, lowest first.</summary>
    public static readonly IReadOnlyList<int> Supported = [1];

    public const int MaxListed = 16;
    public const int MaxVersion = 65535;

    public static int Negotiate(IReadOnlyList<int> ours, IReadOnlyList<int> theirs)
    {
        var common = ours.Intersect(theirs).DefaultIfEmpty(0).Max();
        if (common > 0) return common;
        throw new DreamException(TesseractErrors.UnsupportedVersion, DreamErrorKind.InvalidData,
            $"No common FQTP version: the peer speaks {Describe(theirs)}; this node speaks {Describe(ours)}. Update the older side.");
    }

    /// <summary>"1, 2": the signed form of a version list and the one messages quote.</summary>
    public static string Describe(IEnumerable<int> versions) => string.Join(", ", versions.Select(v => v.ToString(CultureInfo.InvariantCulture)));

    internal static IReadOnlyList<int> Read(JsonElement versions)
    {
        if (versions.ValueKind != JsonValueKind.Array || versions.GetArrayLength() is 0 or > MaxListed)
            throw FqtpMessages.Violation($"'versions' must be an array of 1 to {MaxListed} integers.");
        var list = new List<int>();
        foreach (var item in versions.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var version) || version is < 1 or > MaxVersion)
                throw FqtpMessages.Violation($"Every entry of 'versions' must be an integer from 1 to {MaxVersion}.");
            list.Add(version);
        }
        return list;
    }
}
