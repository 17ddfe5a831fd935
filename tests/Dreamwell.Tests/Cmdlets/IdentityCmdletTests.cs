using Dreamwell.Identity;
using Dreamwell.Tests.Support;

namespace Dreamwell.Tests.Cmdlets;

[Collection(EnvironmentCollection.Name)]
public class IdentityCmdletTests
{
    [Fact]
    public void New_identity_returns_a_typed_report()
    {
        using var temp = new TempHome();
        var result = InProcessShell.Run(temp.Home, "New-DreamIdentity -Name pipeline -Kind Service");
        Assert.Empty(result.Errors);
        var report = Assert.IsType<IdentityReport>(Assert.Single(result.Output).BaseObject);
        Assert.Equal(("pipeline", IdentityKind.Service, 1L), (report.Name, report.Kind, report.ChainLength));
    }

    [Fact]
    public void WhatIf_creates_nothing()
    {
        using var temp = new TempHome();
        var result = InProcessShell.Run(temp.Home, "New-DreamIdentity -Name ghost -WhatIf");
        Assert.Empty(result.Errors);
        Assert.False(File.Exists(temp.Home.IdentityFile));
    }

    [Fact]
    public void Second_identity_without_force_is_an_error_record_with_a_stable_id()
    {
        using var temp = new TempHome();
        var result = InProcessShell.Run(temp.Home, "New-DreamIdentity -Name a; New-DreamIdentity -Name b");
        var error = Assert.Single(result.Errors);
        Assert.Equal("IdentityExists,Dreamwell.Cmdlets.NewDreamIdentityCommand", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.ResourceExists, error.CategoryInfo.Category);
    }

    [Fact]
    public void Chain_and_receipts_pipe_as_typed_objects()
    {
        using var temp = new TempHome();
        var result = InProcessShell.Run(temp.Home, "New-DreamIdentity | Out-Null; Get-SealChain | Where-Object Operation -eq 'identity.create'; Test-SealChain -Quiet");
        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Output.Count);
        Assert.IsType<Dreamwell.Chain.SealEntry>(result.Output[0].BaseObject);
        Assert.True((bool)result.Output[1].BaseObject);
    }
}
