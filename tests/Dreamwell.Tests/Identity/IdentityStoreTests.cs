using Dreamwell.Chain;
using Dreamwell.Identity;
using Dreamwell.Tests.Support;

namespace Dreamwell.Tests.Identity;

public class IdentityStoreTests
{
    [Fact]
    public void New_identity_is_written_owner_only_and_reads_back()
    {
        using var temp = new TempHome();
        var created = IdentityAccess.NewIdentity(temp.Home, "alice", IdentityKind.Agent, default, overwrite: false);

        var loaded = IdentityStore.Load(temp.Home);
        Assert.Equal("alice", loaded.Name);
        Assert.Equal(IdentityKind.Agent, loaded.Kind);
        Assert.Equal(created.PublicKeyHex, loaded.PublicKeyHex);
        Assert.Equal(16, loaded.QuantumId.Length);
        Assert.True(loaded.FingerprintMatches);
        Assert.False(loaded.IsSealed);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(temp.Home.IdentityFile));
        var first = Assert.Single(SealChain.Read(temp.Home));
        Assert.Equal("identity.create", first.Operation);
    }

    [Fact]
    public void Existing_identity_is_not_overwritten_without_force()
    {
        using var temp = new TempHome();
        var original = IdentityAccess.NewIdentity(temp.Home, "alice", null, default, overwrite: false);
        var error = Assert.Throws<DreamException>(() => IdentityAccess.NewIdentity(temp.Home, "mallory", null, default, overwrite: false));
        Assert.Equal("IdentityExists", error.ErrorId);
        Assert.Equal(original.PublicKeyHex, IdentityStore.Load(temp.Home).PublicKeyHex);
    }

    [Fact]
    public void Replacing_an_identity_archives_its_chain()
    {
        using var temp = new TempHome();
        var old = IdentityAccess.NewIdentity(temp.Home, "alice", null, default, overwrite: false);
        var fresh = IdentityAccess.NewIdentity(temp.Home, "alice2", null, default, overwrite: true);
        Assert.NotEqual(old.PublicKeyHex, fresh.PublicKeyHex);
        Assert.True(File.Exists(Path.Combine(temp.Home.Path, $"seal.{old.QuantumId}.chain")));
        Assert.True(SealChain.Verify(temp.Home).IsValid);
        Assert.Single(SealChain.Read(temp.Home));
    }

    [Fact]
    public void Sealed_identity_needs_the_right_passphrase_to_sign()
    {
        using var temp = new TempHome();
        IdentityAccess.NewIdentity(temp.Home, "carol", null, "correct horse".ToCharArray(), overwrite: false);
        Assert.True(IdentityStore.Load(temp.Home).IsSealed);

        Assert.Equal("IdentityLocked", Assert.Throws<DreamException>(() => IdentityStore.OpenSigner(temp.Home)).ErrorId);
        Assert.Equal("WrongPassphrase", Assert.Throws<DreamException>(() => IdentityStore.OpenSigner(temp.Home, "wrong".ToCharArray())).ErrorId);

        using var signer = IdentityStore.OpenSigner(temp.Home, "correct horse".ToCharArray());
        var signature = signer.Sign("hello"u8);
        Assert.True(IdentitySigner.Verify(signer.Identity.PublicKey, "hello"u8, signature));
        Assert.False(IdentitySigner.Verify(signer.Identity.PublicKey, "hellO"u8, signature));
    }

    [Fact]
    public void Unlock_keeps_a_sealed_identity_usable_until_locked()
    {
        using var temp = new TempHome();
        IdentityAccess.NewIdentity(temp.Home, "dave", null, "pw".ToCharArray(), overwrite: false);
        IdentityStore.Unlock(temp.Home, "pw".ToCharArray());
        using (IdentityStore.OpenSigner(temp.Home)) { }
        IdentityStore.Lock(temp.Home);
        Assert.Equal("IdentityLocked", Assert.Throws<DreamException>(() => IdentityStore.OpenSigner(temp.Home)).ErrorId);
    }

    [Fact]
    public void Every_byte_flip_and_truncation_of_identity_file_is_refused()
    {
        using var temp = new TempHome();
        IdentityAccess.NewIdentity(temp.Home, "erin", null, default, overwrite: false);
        var original = File.ReadAllBytes(temp.Home.IdentityFile);
        try
        {
            for (var i = 0; i < original.Length; i++)
            {
                var bad = (byte[])original.Clone();
                bad[i] ^= 0x01;
                File.WriteAllBytes(temp.Home.IdentityFile, bad);
                Assert.IsAssignableFrom<DreamException>(Record.Exception(() => IdentityStore.OpenSigner(temp.Home)));
            }
            for (var length = 0; length < original.Length; length++)
            {
                File.WriteAllBytes(temp.Home.IdentityFile, original.AsSpan(0, length).ToArray());
                Assert.IsAssignableFrom<DreamException>(Record.Exception(() => IdentityStore.Load(temp.Home)));
            }
        }
        finally
        {
            File.WriteAllBytes(temp.Home.IdentityFile, original);
        }
    }

    [Fact]
    public void Missing_identity_says_how_to_create_one()
    {
        using var temp = new TempHome();
        var error = Assert.Throws<DreamException>(() => IdentityStore.Load(temp.Home));
        Assert.Equal("IdentityNotFound", error.ErrorId);
        Assert.Contains("New-DreamIdentity", error.Message);
    }

    [Fact]
    public void Operations_create_an_identity_on_first_use()
    {
        using var temp = new TempHome();
        using var signer = IdentityAccess.OpenOrCreateSigner(temp.Home, out var created);
        Assert.True(created);
        using var again = IdentityAccess.OpenOrCreateSigner(temp.Home, out var createdAgain);
        Assert.False(createdAgain);
        Assert.Equal(signer.Identity.PublicKeyHex, again.Identity.PublicKeyHex);
    }
}
