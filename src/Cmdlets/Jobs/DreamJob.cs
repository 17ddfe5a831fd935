using System.ComponentModel;
using System.Management.Automation;

namespace Dreamwell.Cmdlets;

/// <summary>
/// A Job2 that runs an engine delegate on its own background thread, with Output, Error, Progress, Verbose and Warning
/// wired to the job's streams. Stop-Job cancels the delegate's token and waits for it to finish cleanly (so it can save
/// its work), then the job is Stopped. Registered through <see cref="DreamJobSourceAdapter"/>, so Get-Job, Receive-Job,
/// Wait-Job, Stop-Job and Remove-Job handle it like any other job.
/// </summary>
public sealed class DreamJob : Job2
{
    private readonly Action<DreamJobContext> _work;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly object _gate = new();
    private Thread? _thread;

    public DreamJob(string command, string? name, string jobTypeName, Action<DreamJobContext> work)
        : base(command, string.IsNullOrEmpty(name) ? null : name)
    {
        _work = work;
        PSJobTypeName = jobTypeName;
    }

    public override string StatusMessage => JobStateInfo.State.ToString();
    public override bool HasMoreData => Output.Count > 0 || Error.Count > 0 || Progress.Count > 0 || Verbose.Count > 0 || Warning.Count > 0;
    public override string Location => Environment.MachineName;

    public override void StartJob()
    {
        lock (_gate)
        {
            if (_thread is not null) throw new InvalidOperationException("The job has already started.");
            SetJobState(JobState.Running);
            _thread = new Thread(Run) { IsBackground = true, Name = $"DreamJob {Id}" };
            _thread.Start();
        }
    }

    public override void StartJobAsync()
    {
        StartJob();
        OnStartJobCompleted(new AsyncCompletedEventArgs(null, false, null));
    }

    private void Run()
    {
        try
        {
            _work(new DreamJobContext(this, _cancellation.Token));
            SetJobState(_cancellation.IsCancellationRequested ? JobState.Stopped : JobState.Completed);
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            SetJobState(JobState.Stopped);
        }
        catch (Exception e)
        {
            var record = DreamErrorRecords.From(e);
            Error.Add(record);
            SetJobState(JobState.Failed, e);
        }
        finally
        {
            Output.Complete(); Error.Complete(); Progress.Complete(); Verbose.Complete(); Warning.Complete();
        }
    }

    public override void StopJob() => StopJob(force: false, reason: null);

    public override void StopJob(bool force, string? reason)
    {
        Thread? thread;
        lock (_gate)
        {
            thread = _thread;
            if (thread is null)
            {
                if (!IsFinishedState(JobStateInfo.State)) SetJobState(JobState.Stopped);
                return;
            }
            if (!IsFinishedState(JobStateInfo.State)) SetJobState(JobState.Stopping);
        }
        _cancellation.Cancel();
        thread.Join();
    }

    public override void StopJobAsync() => StopJobAsync(force: false, reason: null);

    public override void StopJobAsync(bool force, string? reason)
    {
        ThreadPool.QueueUserWorkItem(_ =>
        {
            Exception? error = null;
            try { StopJob(force, reason); }
            catch (Exception e) { error = e; }
            OnStopJobCompleted(new AsyncCompletedEventArgs(error, false, null));
        });
    }

    public override void SuspendJob() => throw new NotSupportedException("Dream jobs cannot be suspended; use Stop-Job (work is saved) and start again.");
    public override void SuspendJobAsync() => SuspendJob();
    public override void SuspendJob(bool force, string? reason) => SuspendJob();
    public override void SuspendJobAsync(bool force, string? reason) => SuspendJob();
    public override void ResumeJob() => throw new NotSupportedException("Dream jobs cannot be suspended or resumed.");
    public override void ResumeJobAsync() => ResumeJob();
    public override void UnblockJob() => throw new NotSupportedException("Dream jobs never block.");
    public override void UnblockJobAsync() => UnblockJob();

    private static bool IsFinishedState(JobState state) => state is JobState.Completed or JobState.Failed or JobState.Stopped;

    protected override void Dispose(bool disposing)
    {
        if (disposing) _cancellation.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>Registers the job with the session's JobManager (through the adapter) and starts it.</summary>
    public static DreamJob Start(PSCmdlet cmdlet, DreamJob job)
    {
        // Import-Module registers the adapter when it scans the module assembly. A host that adds the cmdlets without
        // importing the module has no adapter; the session's job repository still serves the job cmdlets then.
        if (!cmdlet.JobManager.IsRegistered(nameof(DreamJobSourceAdapter)))
        {
            cmdlet.JobRepository.Add(job);
            job.StartJob();
            return job;
        }
        var definition = new JobDefinition(typeof(DreamJobSourceAdapter), job.Command, job.Name);
        var parameters = new Dictionary<string, object> { [DreamJobSourceAdapter.JobParameter] = job };
        var registered = (DreamJob)cmdlet.JobManager.NewJob(new JobInvocationInfo(definition, parameters));
        registered.StartJob();
        return registered;
    }
}
