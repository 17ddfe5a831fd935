using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using Dreamwell.Identity;

namespace Dreamwell.Cmdlets;

[Cmdlet(VerbsCommon.New, "DreamIdentity", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(IdentityReport))]
public sealed class NewDreamIdentityCommand : DreamCmdlet
{
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter]
    public IdentityKind? Kind { get; set; }

    [Parameter]
    public SecureString? Passphrase { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void EndProcessing()
    {
        var exists = IdentityStore.Exists(Home);
        if (exists && !Force)
        {
            WriteError(ToErrorRecord(new DreamException("IdentityExists", DreamErrorKind.AlreadyExists,
                $"An identity already exists in '{Home.IdentityFile}'; use -Force to replace it (its seal chain is archived, not deleted)."), Home.IdentityFile));
            return;
        }
        var action = exists ? "Replace the identity (the old seal chain is archived)" : "Create an Ed25519 identity";
        if (!ShouldProcess(Home.IdentityFile, action)) return;
        var passphrase = Passphrase is null ? Array.Empty<char>() : SecureStrings.ToChars(Passphrase);
        try
        {
            IdentityAccess.NewIdentity(Home, Name, Kind, passphrase, overwrite: Force);
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

internal static class SecureStrings
{
    /// <summary>Copies a SecureString into a char array the caller must clear.</summary>
    public static char[] ToChars(SecureString secure)
    {
        var chars = new char[secure.Length];
        var pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
        try
        {
            Marshal.Copy(pointer, chars, 0, chars.Length);
            return chars;
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(pointer);
        }
    }
}
