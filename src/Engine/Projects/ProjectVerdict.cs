namespace Dreamwell.Projects;

/// <summary>
/// Test-DreamProject's verdict. Problems make a project invalid (a tapestry that breaks docs/tapestry.md, a signal or
/// portal folder or an entry file that is missing); Changed lists entries whose file no longer has the recorded BLAKE3,
/// which is normal after an edit and does not make the project invalid.
/// </summary>
public sealed record ProjectVerdict(string Path, string? Name, bool IsValid, IReadOnlyList<string> Problems, IReadOnlyList<string> Changed);
