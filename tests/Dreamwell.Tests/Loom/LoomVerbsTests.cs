using System.Management.Automation.Language;
using Dreamwell.Host;
using Xunit;

namespace Dreamwell.Tests.Loom;

public sealed class LoomVerbsTests
{
    private static CommandAst Parse(string script)
    {
        var ast = Parser.ParseInput(script, out _, out var errors);
        Assert.Empty(errors);
        return (CommandAst)ast.Find(a => a is CommandAst, true)!;
    }

    [Fact]
    public void SeedTrainFlagsBecomeInvokeLoomTrain()
    {
        var script = LoomVerbs.ToScript(["loom", "--train", "--dim", "86", "--blocks", "8", "--epochs", "100", "--lr", "0.03", "--context", "64", "--corpus", "my docs", "--checkpoint", "x.quantumtensor"])!;
        Assert.Equal("Invoke-LoomTrain -Dim 86 -Blocks 8 -Epochs 100 -LearningRate 0.03 -Context 64 -Corpus 'my docs' -Checkpoint 'x.quantumtensor'", script);
        Parse(script);
        Assert.Equal(script, LoomVerbs.ToScript(["train", "--dim", "86", "--blocks", "8", "--epochs", "100", "--lr", "0.03", "--context", "64", "--corpus", "my docs", "--checkpoint", "x.quantumtensor"]));
    }

    [Fact]
    public void TrainWithoutCorpusUsesTheModulesOwnDocs()
    {
        var script = LoomVerbs.ToScript(["loom", "train"])!;
        Assert.Contains("-Corpus " + LoomVerbs.DefaultCorpusExpression, script);
        Parse(script);
    }

    [Fact]
    public void PromptsAreLiteralsEvenWhenTheyLookLikeCode()
    {
        string hostile = "x'; Remove-Item -Recurse / ; '$(whoami)\u2019";
        var script = LoomVerbs.ToScript(["loom", "--generate", hostile, "--checkpoint", "x.quantumtensor"])!;
        var command = Parse(script.Split(" | ")[0]);
        var prompt = command.CommandElements.SkipWhile(e => e is not CommandParameterAst { ParameterName: "Prompt" }).Skip(1).First();
        Assert.Equal(hostile, Assert.IsType<StringConstantExpressionAst>(prompt).Value);
        Assert.Equal(LoomVerbs.ToScript(["generate", hostile, "--checkpoint", "x.quantumtensor"]), script);
    }

    [Fact]
    public void ChatAndErrors()
    {
        Assert.Equal("Start-LoomChat -Checkpoint 'x.quantumtensor' -Temperature 0.5", LoomVerbs.ToScript(["loom", "--chat", "--checkpoint", "x.quantumtensor", "--temperature", "0.5"]));
        Assert.Null(LoomVerbs.ToScript(["pack", "file"]));
        Assert.Null(LoomVerbs.ToScript(["loom"]));
        Assert.Contains("unknown option '--bogus'", Assert.Throws<ArgumentException>(() => LoomVerbs.ToScript(["loom", "train", "--bogus", "1"])).Message);
        Assert.Contains("--dim needs a whole number", Assert.Throws<ArgumentException>(() => LoomVerbs.ToScript(["loom", "train", "--dim", "8; rm"])).Message);
        Assert.Contains("needs a value", Assert.Throws<ArgumentException>(() => LoomVerbs.ToScript(["loom", "train", "--dim"])).Message);
    }
}
