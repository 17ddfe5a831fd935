using System.Reflection;
using BenchmarkDotNet.Running;
using Dreamwell.Bench;

// `dotnet run -c Release --project bench/Dreamwell.Bench -- <side-by-side name> [args]` runs a side-by-side
// measurement (see ISideBySide implementations); anything else goes to BenchmarkDotNet's switcher.
var sideBySide = typeof(Program).Assembly.GetTypes()
    .Where(t => typeof(ISideBySide).IsAssignableFrom(t) && !t.IsAbstract)
    .Select(t => (ISideBySide)Activator.CreateInstance(t)!)
    .ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);

if (args.Length > 0 && sideBySide.TryGetValue(args[0], out var bench))
    return bench.Run(args[1..]);

if (args.Length > 0 && args[0] == "list")
{
    foreach (var name in sideBySide.Keys.Order()) Console.WriteLine(name);
    return 0;
}

BenchmarkSwitcher.FromAssembly(Assembly.GetExecutingAssembly()).Run(args);
return 0;
