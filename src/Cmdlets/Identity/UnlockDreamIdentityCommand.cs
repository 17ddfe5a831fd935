using System.Management.Automation;
using System.Security;
using Dreamwell.Identity;

namespace Dreamwell.Cmdlets;

/// <summary>Checks the passphrase of a sealed identity and keeps it unlocked for this process (like ssh-add).</summary>
[Cmdlet(VerbsCommon.Unlock, "DreamIdentity")]
[OutputType(typeof(IdentityReport))]
public sealed class UnlockDreamIdentityCommand : DreamCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public SecureString Passphrase { get; set; } = null!;

    protected override void EndProcessing()
    {
        var passphrase = SecureStrings.ToChars(Passphrase);
        try
        {
            IdentityStore.Unlock(Home, passphrase);
            WriteObject(IdentityReport.Of(Home));
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Home.IdentityFile);
        }
        finally
        {
            Array.Clear(passphrase);
        }
    }
}
