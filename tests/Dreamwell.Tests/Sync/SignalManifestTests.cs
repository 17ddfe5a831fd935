using Dreamwell.Identity;
using Dreamwell.Sync;
using Dreamwell.Tests.Support;

namespace Dreamwell.Tests.Sync;

public sealed class SignalManifestTests
{
    private static SignalManifest Sample(byte[] publisher, params string[] paths) => new(
        new byte[16], publisher, 3, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), "blog",
        paths.Select(p => new SyncFileState(p, 5, 0x1A4, 42, false, VersionVector.Empty, [new SyncChunk(0, 5, Blake3Hash.Hex("hello"u8))])).ToList());

    [Fact]
    public void A_manifest_round_trips_and_its_head_verifies_only_unchanged()
    {
        using var temp = new TempHome();
        using var signer = IdentityAccess.OpenOrCreateSigner(temp.Home, out _);
        var manifest = Sample(signer.Identity.PublicKey, "b.txt", "a/index.html");
        var bytes = manifest.Encode();
        var hash = Blake3Hash.Compute(bytes);
        var head = new SignalHead(new string('0', 32), 3, Convert.ToHexStringLower(hash), bytes.Length,
            signer.Sign(SignalManifest.HeadBytes(new byte[16], 3, hash, bytes.Length)));

        var decoded = SignalManifest.Decode(bytes);

        Assert.Equal(["a/index.html", "b.txt"], decoded.Files.Select(f => f.Path));
        Assert.Equal(VersionVector.Parse($"{signer.Identity.QuantumId}:3"), decoded.Files[0].Version);
        Assert.True(head.Verify(signer.Identity.PublicKey));
        Assert.False((head with { Release = 4 }).Verify(signer.Identity.PublicKey));
        Assert.False((head with { ManifestHash = new string('1', 64) }).Verify(signer.Identity.PublicKey));
        Assert.Equal(bytes, SignalManifest.Decode(bytes).Encode());
    }

    [Fact]
    public void Tampered_or_hostile_manifests_are_refused()
    {
        var bytes = Sample(new byte[32], "a.txt").Encode();
        for (var cut = 0; cut < bytes.Length; cut += 7)
            Assert.ThrowsAny<DreamException>(() => SignalManifest.Decode(bytes.AsSpan(0, cut)));
        var hostile = Sample(new byte[32], "../../etc/passwd");
        var error = Assert.Throws<DreamException>(() => SignalManifest.Decode(hostile.Encode()));
        Assert.Equal(SyncErrors.UnsafePath, error.ErrorId);
    }
}
