namespace Dreamwell.Projects;

/// <summary>
/// A project as New-DreamProject made it. Files are the paths it wrote (relative, '/'-separated, folders end in '/');
/// Kept are scaffold paths that already existed and were left exactly as they were (-Force).
/// </summary>
public sealed record DreamProject(
    string Name,
    string Path,
    string QuantumId,
    DateTimeOffset Created,
    string Template,
    string SignalPath,
    IReadOnlyList<string> Files,
    IReadOnlyList<string> Kept);

/// <summary>Which scaffold New-DreamProject writes.</summary>
public enum ProjectTemplate
{
    Blank,
    HelloUniverse,
}
