using System.Text;

namespace Dreamwell.Loom;

/// <summary>What to do with prompt characters the model never saw.</summary>
public enum UnknownCharacterPolicy
{
    /// <summary>Fail with <c>LoomUnknownCharacters</c>, listing every unknown character.</summary>
    Error,
    /// <summary>Drop them silently from the prompt.</summary>
    Skip,
}

/// <summary>
/// Character-level tokenizer: one token per Unicode scalar value that occurs in the corpus, sorted by code point
/// (the same order as Python's sorted(set(text)), so token ids match the PyTorch anchor).
/// </summary>
public sealed class CharTokenizer
{
    private readonly int[] _codePoints;
    private readonly Dictionary<int, int> _ids;

    public CharTokenizer(IEnumerable<int> codePoints)
    {
        _codePoints = codePoints.Distinct().Order().ToArray();
        if (_codePoints.Length == 0)
            throw new DreamException("LoomEmptyCorpus", DreamErrorKind.InvalidArgument, "The corpus has no characters.");
        if (_codePoints.Length > LoomConfig.MaxVocab)
            throw new DreamException("LoomVocabularyTooLarge", DreamErrorKind.LimitExceeded, $"The corpus has {_codePoints.Length} distinct characters; the limit is {LoomConfig.MaxVocab}.");
        foreach (var cp in _codePoints)
            if (!Rune.IsValid(cp)) throw new DreamFormatException("LoomInvalidVocabulary", $"Code point {cp} is not a Unicode scalar value.");
        _ids = new Dictionary<int, int>(_codePoints.Length);
        for (int i = 0; i < _codePoints.Length; i++) _ids[_codePoints[i]] = i;
    }

    public static CharTokenizer FromText(string text) => new(text.EnumerateRunes().Select(r => r.Value));

    public int VocabSize => _codePoints.Length;
    public IReadOnlyList<int> CodePoints => _codePoints;

    /// <summary>Encodes text; every character must be in the vocabulary (used for the corpus itself).</summary>
    public int[] Encode(string text, UnknownCharacterPolicy policy = UnknownCharacterPolicy.Error)
    {
        var ids = new List<int>(text.Length);
        SortedSet<int>? unknown = null;
        foreach (var rune in text.EnumerateRunes())
        {
            if (_ids.TryGetValue(rune.Value, out var id)) ids.Add(id);
            else if (policy == UnknownCharacterPolicy.Error) (unknown ??= []).Add(rune.Value);
        }
        if (unknown is not null)
        {
            var listed = string.Join(", ", unknown.Take(20).Select(Describe));
            throw new DreamException("LoomUnknownCharacters", DreamErrorKind.InvalidArgument,
                $"The prompt has {unknown.Count} character(s) the model's vocabulary lacks: {listed}{(unknown.Count > 20 ? ", …" : "")}. Remove them or use -SkipUnknown.");
        }
        return ids.ToArray();
    }

    public string Decode(ReadOnlySpan<int> ids)
    {
        var sb = new StringBuilder(ids.Length);
        foreach (var id in ids) sb.Append(DecodeOne(id));
        return sb.ToString();
    }

    public string DecodeOne(int id) => char.ConvertFromUtf32(_codePoints[id]);

    private static string Describe(int cp) =>
        cp < 0x20 || cp == 0x7F ? $"U+{cp:X4}" : $"'{char.ConvertFromUtf32(cp)}' (U+{cp:X4})";
}
