using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using Dreamwell.Cmdlets;

namespace Dreamwell.Tests.Support;

/// <summary>Runs PowerShell in this process with every Dreamwell cmdlet registered and a given home.</summary>
public static class InProcessShell
{
    public sealed record Result(IReadOnlyList<PSObject> Output, IReadOnlyList<ErrorRecord> Errors);

    public static Result Run(DreamHome home, string script)
    {
        var state = InitialSessionState.CreateDefault2();
        foreach (var type in typeof(DreamCmdlet).Assembly.GetTypes())
        {
            var attribute = type.GetCustomAttribute<CmdletAttribute>();
            if (attribute is not null)
                state.Commands.Add(new SessionStateCmdletEntry($"{attribute.VerbName}-{attribute.NounName}", type, null));
        }
        var previous = Environment.GetEnvironmentVariable(DreamHome.HomeVariable);
        Environment.SetEnvironmentVariable(DreamHome.HomeVariable, home.Path);
        try
        {
            using var shell = PowerShell.Create(state);
            shell.AddScript(script);
            var output = shell.Invoke();
            return new Result(output, shell.Streams.Error.ToList());
        }
        finally
        {
            Environment.SetEnvironmentVariable(DreamHome.HomeVariable, previous);
        }
    }
}

/// <summary>Tests that set process-wide DREAMWELL_HOME must not run beside each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentCollection
{
    public const string Name = "Environment";
}
