namespace Dreamwell.Projects;

/// <summary>Stable error ids of project scaffolds and tapestry.json (docs/tapestry.md).</summary>
public static class ProjectErrors
{
    public const string InvalidName = "InvalidProjectName";
    public const string InvalidOwner = "InvalidProjectOwner";
    public const string Exists = "ProjectExists";
    public const string PathBlocked = "ProjectPathBlocked";
    public const string NotFound = "ProjectNotFound";
    public const string TapestryInvalid = "TapestryInvalid";
    public const string TapestryTooLarge = "TapestryTooLarge";
}
