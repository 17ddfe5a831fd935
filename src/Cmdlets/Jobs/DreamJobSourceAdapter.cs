using System.Collections.Concurrent;
using System.Management.Automation;

namespace Dreamwell.Cmdlets;

/// <summary>The job source behind <see cref="DreamJob"/>: how Get-Job, Remove-Job and friends find Dream jobs.</summary>
public sealed class DreamJobSourceAdapter : JobSourceAdapter
{
    internal const string JobParameter = "DreamJob";
    private static readonly ConcurrentDictionary<Guid, DreamJob> Jobs = new();

    public DreamJobSourceAdapter() => Name = nameof(DreamJobSourceAdapter);

    public override Job2 NewJob(JobInvocationInfo specification)
    {
        var job = specification.Parameters.SelectMany(c => c).FirstOrDefault(p => p.Name == JobParameter)?.Value as DreamJob
            ?? throw new ArgumentException("The job specification carries no DreamJob.", nameof(specification));
        Jobs[job.InstanceId] = job;
        return job;
    }

    public override IList<Job2> GetJobs() => Jobs.Values.OrderBy(j => j.Id).Cast<Job2>().ToList();

    public override IList<Job2> GetJobsByName(string name, bool recurse)
    {
        var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
        return Jobs.Values.Where(j => pattern.IsMatch(j.Name)).OrderBy(j => j.Id).Cast<Job2>().ToList();
    }

    public override IList<Job2> GetJobsByCommand(string command, bool recurse)
    {
        var pattern = new WildcardPattern(command, WildcardOptions.IgnoreCase);
        return Jobs.Values.Where(j => pattern.IsMatch(j.Command)).OrderBy(j => j.Id).Cast<Job2>().ToList();
    }

    public override IList<Job2> GetJobsByState(JobState state, bool recurse) =>
        Jobs.Values.Where(j => j.JobStateInfo.State == state).OrderBy(j => j.Id).Cast<Job2>().ToList();

    public override IList<Job2> GetJobsByFilter(Dictionary<string, object> filter, bool recurse) => [];

    public override Job2? GetJobByInstanceId(Guid instanceId, bool recurse) => Jobs.TryGetValue(instanceId, out var job) ? job : null;

    public override Job2? GetJobBySessionId(int id, bool recurse) => Jobs.Values.FirstOrDefault(j => j.Id == id);

    public override void RemoveJob(Job2 job)
    {
        if (Jobs.TryRemove(job.InstanceId, out var removed))
        {
            removed.StopJob();
            removed.Dispose();
        }
    }
}
