using System.Management.Automation;
using Dreamwell.Identity;

namespace Dreamwell.Cmdlets;

/// <summary>Forgets the passphrase Unlock-DreamIdentity kept for this process.</summary>
[Cmdlet(VerbsCommon.Lock, "DreamIdentity")]
public sealed class LockDreamIdentityCommand : DreamCmdlet
{
    protected override void EndProcessing() => IdentityStore.Lock(Home);
}
