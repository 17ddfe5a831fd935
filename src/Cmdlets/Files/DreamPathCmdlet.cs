using System.Management.Automation;

namespace Dreamwell.Cmdlets;

/// <summary>
/// -Path (wildcards, pipeline strings) and -LiteralPath (alias PSPath, so `Get-ChildItem | …` binds
/// file objects) for cmdlets that act on files.
/// </summary>
public abstract class DreamPathCmdlet : DreamCmdlet
{
    protected const string PathSet = "Path";
    protected const string LiteralPathSet = "LiteralPath";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>The file-system paths named by this record; missing ones are reported as errors and skipped.</summary>
    protected IEnumerable<string> InputPaths()
    {
        if (ParameterSetName == LiteralPathSet)
        {
            foreach (var literal in LiteralPath)
            {
                var path = ResolveLiteral(literal);
                if (File.Exists(path) || Directory.Exists(path)) yield return path;
                else WriteError(new ErrorRecord(new ItemNotFoundException($"Cannot find path '{path}' because it does not exist."),
                    "PathNotFound", ErrorCategory.ObjectNotFound, literal));
            }
            yield break;
        }
        foreach (var pattern in Path)
            foreach (var path in ResolveWildcard(pattern))
                yield return path;
    }

    /// <summary>Runs one item's work; a reportable failure becomes an error record and the pipeline goes on.</summary>
    protected void ForEachInput(Action<string> act)
    {
        foreach (var path in InputPaths())
        {
            try
            {
                act(path);
            }
            catch (Exception e) when (IsReportable(e))
            {
                WriteDreamError(e, path);
            }
        }
    }
}
