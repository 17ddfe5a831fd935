using System.Management.Automation;
using System.Numerics;
using Dreamwell.Quantum;

namespace Dreamwell.Cmdlets;

/// <summary>What the quantum cmdlets share: reading matrices and Hamiltonians typed at the prompt.</summary>
internal static class QuantumCmdletSupport
{
    /// <summary>
    /// A Hamiltonian from what a user typed: a <see cref="Hamiltonian"/>; a flat list of numbers (the
    /// diagonal, i.e. one energy per basis state); or a list of rows (a full Hermitian matrix).
    /// </summary>
    public static Hamiltonian ToHamiltonian(object value)
    {
        value = Unwrap(value)!;
        if (value is Hamiltonian h) return h;
        var items = AsList(value);
        if (items.Count > 0 && items.All(i => AsListOrNull(Unwrap(i)) is null))
            return Hamiltonian.FromDiagonal(items.Select(i => ToComplex(i).Real).ToArray());
        return Hamiltonian.FromRows(ToRows(value, "Hamiltonian"));
    }

    public static IReadOnlyList<IReadOnlyList<Complex>> ToRows(object value, string what)
    {
        var rows = AsList(Unwrap(value)!);
        if (rows.Count == 0) throw new DreamException("EmptyMatrix", DreamErrorKind.InvalidArgument, $"The {what} has no rows.");
        return rows.Select((r, i) =>
        {
            var cells = AsListOrNull(Unwrap(r))
                ?? throw new DreamException("NotSquare", DreamErrorKind.InvalidArgument, $"Row {i} of the {what} is not a list of numbers.");
            return (IReadOnlyList<Complex>)cells.Select(ToComplex).ToArray();
        }).ToArray();
    }

    public static Complex ToComplex(object? value)
    {
        value = Unwrap(value);
        try
        {
            return value switch
            {
                Complex c => c,
                string s => ParseComplex(s),
                null => throw new DreamException("NotFinite", DreamErrorKind.InvalidArgument, "A matrix entry is empty."),
                _ => LanguagePrimitives.ConvertTo<Complex>(value),
            };
        }
        catch (PSInvalidCastException e)
        {
            throw new DreamException("NotANumber", DreamErrorKind.InvalidArgument, $"'{value}' is not a number.", e);
        }
    }

    /// <summary>"0.5", "0.5+0.1i", "-0.2i".</summary>
    private static Complex ParseComplex(string text)
    {
        var s = text.Trim().Replace(" ", "");
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        const System.Globalization.NumberStyles style = System.Globalization.NumberStyles.Float;
        if (!s.EndsWith('i') && !s.EndsWith('j'))
            return double.TryParse(s, style, inv, out var re) ? re : throw new DreamException("NotANumber", DreamErrorKind.InvalidArgument, $"'{text}' is not a number.");
        var body = s[..^1];
        int split = Math.Max(body.LastIndexOf('+'), body.LastIndexOf('-'));
        while (split > 0 && (body[split - 1] == 'e' || body[split - 1] == 'E'))
            split = Math.Max(body.LastIndexOf('+', split - 1), body.LastIndexOf('-', split - 1));
        string realPart = split > 0 ? body[..split] : "0";
        string imagPart = split > 0 ? body[split..] : body;
        if (imagPart is "" or "+" ) imagPart += "1";
        if (imagPart == "-") imagPart = "-1";
        if (double.TryParse(realPart, style, inv, out var r) && double.TryParse(imagPart, style, inv, out var im))
            return new Complex(r, im);
        throw new DreamException("NotANumber", DreamErrorKind.InvalidArgument, $"'{text}' is not a complex number (write e.g. 0.5-0.1i).");
    }

    private static object? Unwrap(object? value) => value is PSObject ps ? ps.BaseObject : value;

    private static IReadOnlyList<object?> AsList(object value) =>
        AsListOrNull(value) ?? new[] { value };

    private static IReadOnlyList<object?>? AsListOrNull(object? value) =>
        value is System.Collections.IEnumerable e and not string ? e.Cast<object?>().ToArray() : null;
}
