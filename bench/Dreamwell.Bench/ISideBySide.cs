namespace Dreamwell.Bench;

/// <summary>A measurement of our code against an external anchor (a CLI tool) in one run.</summary>
public interface ISideBySide
{
    string Name { get; }
    int Run(string[] args);
}
