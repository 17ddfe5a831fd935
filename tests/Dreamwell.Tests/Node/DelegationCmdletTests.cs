using System.Management.Automation;
using Dreamwell.Chain;
using Dreamwell.Identity;
using Dreamwell.Tests.Support;

namespace Dreamwell.Tests.Node;

/// <summary>Grant-, Get- and Revoke-DreamDelegation in an in-process shell, as a user meets them.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class DelegationCmdletTests
{
    [Fact]
    public void GrantIssuesAnAgentHomeWithItsCertificateAndAuditsIt()
    {
        using var alice = new Principal("alice");
        var result = InProcessShell.Run(alice.Home, "Grant-DreamDelegation -Name ci-bot -Scope Observe,Send -Expires 24h");
        Assert.Empty(result.Errors);
        var grant = Assert.IsType<DreamDelegation>(Assert.Single(result.Output).BaseObject);
        Assert.Equal("ci-bot", grant.Name);
        Assert.Equal(DelegationScopes.Observe | DelegationScopes.Send, grant.Scopes);
        Assert.Equal(alice.Identity.QuantumId, grant.DelegatedBy);
        Assert.Equal("Valid", grant.Status);
        Assert.Equal(TimeSpan.FromHours(24), grant.Expires - grant.NotBefore);
        Assert.Equal(Path.Combine(alice.Home.Path, "agents", "ci-bot"), grant.Path);

        var agentHome = new DreamHome(grant.Path);
        var agent = IdentityStore.Load(agentHome);
        Assert.Equal(IdentityKind.Agent, agent.Kind);
        Assert.Equal(grant.AgentQuantumId, agent.QuantumId);
        Assert.Equal(grant.CertificateHash, Delegations.ReadOwn(agentHome)!.Hash);
        var audit = SealChain.Read(alice.Home)[^1];
        Assert.Equal("delegation.grant", audit.Operation);
        Assert.Contains(grant.AgentQuantumId, audit.Payload);
        Assert.True(SealChain.Verify(alice.Home).IsValid);
    }

    [Fact]
    public void GrantWhatIfChangesNothing()
    {
        using var alice = new Principal("alice");
        var chainBefore = SealChain.Read(alice.Home).Count;
        var result = InProcessShell.Run(alice.Home, "Grant-DreamDelegation -Name ci-bot -Scope Observe -WhatIf");
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        Assert.False(Directory.Exists(Path.Combine(alice.Home.Path, "agents")));
        Assert.Equal(chainBefore, SealChain.Read(alice.Home).Count);
    }

    [Fact]
    public void GetListsWhatWasIssuedAndReadsAnAgentFolder()
    {
        using var alice = new Principal("alice");
        var folder = alice.Temp.File("bots-home");
        var result = InProcessShell.Run(alice.Home, $"""
            $null = Grant-DreamDelegation ci-bot -Scope Observe -Expires 7d
            $null = Grant-DreamDelegation deployer -Scope Send,Connect -Expires ([timespan]::FromHours(2)) -Path '{folder}'
            Get-DreamDelegation
            Get-DreamDelegation -Path '{folder}'
            Get-DreamDelegation dep*
            """);
        Assert.Empty(result.Errors);
        var all = result.Output.Select(o => (DreamDelegation)o.BaseObject).ToList();
        Assert.Equal(["ci-bot", "deployer", "deployer", "deployer"], all.Select(d => d.Name));
        Assert.Equal(TimeSpan.FromDays(7), all[0].Expires - all[0].NotBefore);
        Assert.Equal(DelegationScopes.Send | DelegationScopes.Connect, all[2].Scopes);
        Assert.Equal(folder, all[2].Path);
        Assert.Equal(all[1].CertificateHash, all[2].CertificateHash);
    }

    [Fact]
    public void RevokeMarksTheAgentRevokedAndAuditsIt()
    {
        using var alice = new Principal("alice");
        var result = InProcessShell.Run(alice.Home, """
            $null = Grant-DreamDelegation ci-bot -Scope Observe
            Get-DreamDelegation ci-bot | Revoke-DreamDelegation -Reason 'key leaked in a CI log'
            Get-DreamDelegation ci-bot
            """);
        Assert.Empty(result.Errors);
        var revoked = (DreamDelegation)result.Output[0].BaseObject;
        Assert.Equal("Revoked", revoked.Status);
        Assert.Equal("key leaked in a CI log", revoked.RevokeReason);
        Assert.Equal("Revoked", ((DreamDelegation)result.Output[1].BaseObject).Status);
        Assert.True(Delegations.IsRevoked(alice.Home, Convert.FromHexString(revoked.AgentPublicKey)));
        Assert.Equal("delegation.revoke", SealChain.Read(alice.Home)[^1].Operation);

        // Revocation is final: granting the same agent again is refused.
        var again = InProcessShell.Run(alice.Home, "Grant-DreamDelegation ci-bot -Scope Observe");
        Assert.Equal(DelegationErrors.Revoked, Assert.Single(again.Errors).FullyQualifiedErrorId.Split(',')[0]);
    }

    [Fact]
    public void BadInputIsRefusedWithClearErrors()
    {
        using var alice = new Principal("alice");
        var duration = InProcessShell.Run(alice.Home, "Grant-DreamDelegation ci-bot -Scope Observe -Expires 400d");
        Assert.Contains("366 days", Assert.Single(duration.Errors).Exception.Message);
        var name = InProcessShell.Run(alice.Home, "Grant-DreamDelegation '../up' -Scope Observe");
        Assert.Equal(DelegationErrors.BadName, Assert.Single(name.Errors).FullyQualifiedErrorId.Split(',')[0]);
        var missing = InProcessShell.Run(alice.Home, "Revoke-DreamDelegation nobody");
        Assert.Equal(DelegationErrors.NotFound, Assert.Single(missing.Errors).FullyQualifiedErrorId.Split(',')[0]);
        Assert.False(Directory.Exists(Path.Combine(alice.Home.Path, "agents")));
    }

    [Fact]
    public void AnAgentCannotDelegateFurther()
    {
        using var alice = new Principal("alice");
        var grant = alice.Grant("ci-bot", DelegationScopes.Observe);
        var result = InProcessShell.Run(new DreamHome(grant.Path), "Grant-DreamDelegation sub-bot -Scope Observe");
        Assert.Equal(DelegationErrors.NotHuman, Assert.Single(result.Errors).FullyQualifiedErrorId.Split(',')[0]);
    }
}
