using System.Text.RegularExpressions;

namespace Dreamwell.Projects;

/// <summary>
/// Names of projects, signals and portals in a tapestry: they become folder names and URL segments, so they are
/// kept to letters, digits, '.', '_' and '-', start with a letter or digit, and are at most 64 characters.
/// </summary>
public static partial class ProjectName
{
    public const int MaxLength = 64;

    /// <summary>The same pattern as "$defs/name" in docs/tapestry.schema.json.</summary>
    public const string Pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";

    public static bool IsValid(string? name) => name is not null && NameRegex().IsMatch(name);

    public static string Validate(string? name)
    {
        if (IsValid(name)) return name!;
        var shown = name is null ? "(none)" : name.Length > 80 ? $"'{name[..80]}…'" : $"'{name}'";
        throw new DreamException(ProjectErrors.InvalidName, DreamErrorKind.InvalidArgument,
            $"{shown} is not a project name: use 1 to {MaxLength} letters, digits, '.', '_' or '-', starting with a letter or digit (e.g. hello).");
    }

    // .NET's '$' also matches before a final newline (ECMA-262's does not), so the code anchors with \z.
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex NameRegex();
}
