using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Management.Automation;
using Dreamwell.Identity;

namespace Dreamwell.Cmdlets;

/// <summary>
/// What every Dreamwell cmdlet shares: the home, path resolution, running engine work off the
/// pipeline thread while its progress is written on it, Ctrl+C, receipts, and error records.
/// </summary>
public abstract class DreamCmdlet : PSCmdlet
{
    private readonly CancellationTokenSource _stopping = new();
    private DreamHome? _home;

    protected DreamHome Home => _home ??= DreamHome.FromEnvironment();

    protected CancellationToken StopToken => _stopping.Token;

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>A literal provider path to a file-system path, whether or not it exists yet.</summary>
    protected string ResolveLiteral(string path) => GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>Expands wildcards; writes a not-found error and returns nothing when the pattern matches nothing.</summary>
    protected IEnumerable<string> ResolveWildcard(string path)
    {
        Collection<string> resolved;
        try
        {
            resolved = GetResolvedProviderPathFromPSPath(path, out var provider);
            if (provider.Name != "FileSystem")
                throw new DreamException("NotAFileSystemPath", DreamErrorKind.InvalidArgument, $"'{path}' is not a file-system path.");
        }
        catch (ItemNotFoundException e)
        {
            WriteError(new ErrorRecord(e, "PathNotFound", ErrorCategory.ObjectNotFound, path));
            return Array.Empty<string>();
        }
        return resolved;
    }

    /// <summary>
    /// Runs engine work on a worker thread and pumps its progress onto the pipeline thread
    /// (Write-Progress may only be called there). Progress shows only once work lasts over half a second.
    /// </summary>
    protected T RunEngine<T>(string activity, Func<IProgress<DreamProgress>, CancellationToken, T> work)
    {
        var reports = new BlockingCollection<DreamProgress>(new ConcurrentQueue<DreamProgress>());
        var progress = new QueueProgress(reports);
        var task = Task.Run(() =>
        {
            try { return work(progress, StopToken); }
            finally { reports.CompleteAdding(); }
        });
        var started = DateTime.UtcNow;
        var lastShown = DateTime.MinValue;
        var activityId = Math.Abs(activity.GetHashCode() % 10000) + 1;
        var shown = false;
        foreach (var report in reports.GetConsumingEnumerable())
        {
            var now = DateTime.UtcNow;
            if (now - started < TimeSpan.FromMilliseconds(500) || now - lastShown < TimeSpan.FromMilliseconds(100)) continue;
            lastShown = now;
            shown = true;
            WriteProgress(new ProgressRecord(activityId, report.Activity.Length > 0 ? report.Activity : activity,
                report.Status.Length > 0 ? report.Status : "Working") { PercentComplete = report.Percent });
        }
        if (shown) WriteProgress(new ProgressRecord(activityId, activity, "Done") { RecordType = ProgressRecordType.Completed });
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Signs and chains a receipt for finished work, creating the identity on first use.</summary>
    protected DreamReceipt IssueReceipt(ReceiptDraft draft)
    {
        using var signer = IdentityAccess.OpenOrCreateSigner(Home, out var created);
        if (created)
            WriteWarning($"No identity was found, so one was created in '{Home.IdentityFile}' ({signer.Identity.QuantumId}). Use New-DreamIdentity -Force to choose a name or a passphrase.");
        return ReceiptBook.Issue(Home, signer, draft);
    }

    /// <summary>Writes a non-terminating error with the engine's stable id.</summary>
    protected void WriteDreamError(Exception exception, object? target) => WriteError(ToErrorRecord(exception, target));

    protected static ErrorRecord ToErrorRecord(Exception exception, object? target) => DreamErrorRecords.From(exception, target);

    /// <summary>True for the failures a cmdlet reports as an error record instead of crashing the pipeline.</summary>
    protected static bool IsReportable(Exception e) => e is DreamException or IOException or UnauthorizedAccessException;

    private sealed class QueueProgress(BlockingCollection<DreamProgress> reports) : IProgress<DreamProgress>
    {
        public void Report(DreamProgress value)
        {
            if (!reports.IsAddingCompleted) reports.TryAdd(value);
        }
    }
}
