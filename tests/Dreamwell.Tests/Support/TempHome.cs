namespace Dreamwell.Tests.Support;

/// <summary>A throw-away DREAMWELL_HOME (and a scratch folder beside it) for one test.</summary>
public sealed class TempHome : IDisposable
{
    public TempHome()
    {
        Root = Path.Combine(Path.GetTempPath(), "dreamwell-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Home = new DreamHome(Path.Combine(Root, "home"));
        Scratch = Path.Combine(Root, "scratch");
        Directory.CreateDirectory(Scratch);
    }

    public string Root { get; }
    public DreamHome Home { get; }
    public string Scratch { get; }

    public string File(string name) => Path.Combine(Scratch, name);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
