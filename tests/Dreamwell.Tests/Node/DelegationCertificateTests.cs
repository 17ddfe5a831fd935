using System.Buffers.Binary;
using System.Text;
using Dreamwell.Identity;

namespace Dreamwell.Tests.Node;

/// <summary>The delegation certificate byte for byte (docs/identity.md), what a reader refuses, and the duration syntax of -Expires.</summary>
public sealed class DelegationCertificateTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TheLayoutIsTheDocumentedOne()
    {
        using var alice = new Principal("alice");
        using var human = IdentityStore.OpenSigner(alice.Home);
        var agentKey = Enumerable.Range(0, 32).Select(i => (byte)(0xA0 + i)).ToArray();
        var certificate = DelegationCertificate.Issue(human, agentKey, "ci-bot", DelegationScopes.Observe | DelegationScopes.Send, Start, Start.AddHours(24));
        var bytes = certificate.Bytes;

        Assert.Equal(89 + 6 + 64, bytes.Length);
        Assert.Equal("DWDG"u8.ToArray(), bytes[..4]);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(3, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(6)));
        Assert.Equal(Start.ToUnixTimeMilliseconds(), BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(Start.AddHours(24).ToUnixTimeMilliseconds(), BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(agentKey, bytes[24..56]);
        Assert.Equal(alice.Identity.PublicKey, bytes[56..88]);
        Assert.Equal(6, bytes[88]);
        Assert.Equal("ci-bot", Encoding.ASCII.GetString(bytes, 89, 6));
        var signed = Encoding.ASCII.GetBytes("dreamwell-delegation-v1").Concat(bytes[..95]).ToArray();
        Assert.True(IdentitySigner.Verify(alice.Identity.PublicKey, signed, bytes[95..]));

        var parsed = DelegationCertificate.Parse(bytes);
        Assert.Equal("ci-bot", parsed.Name);
        Assert.Equal(alice.Identity.QuantumId, parsed.DelegatedBy);
        Assert.Equal(DelegationScopes.Observe | DelegationScopes.Send, parsed.Scopes);
        Assert.Equal(Start.AddHours(24), parsed.Expires);
    }

    [Fact]
    public void EveryAlteredByteIsRefused()
    {
        using var alice = new Principal("alice");
        using var human = IdentityStore.OpenSigner(alice.Home);
        var bytes = DelegationCertificate.Issue(human, new byte[32], "a", DelegationScopes.Observe, Start, Start.AddDays(1)).Bytes;
        for (var i = 0; i < bytes.Length; i++)
        {
            var altered = (byte[])bytes.Clone();
            altered[i] ^= 0x01;
            var error = Assert.Throws<DreamException>(() => DelegationCertificate.Parse(altered));
            Assert.Equal(DelegationErrors.Invalid, error.ErrorId);
        }
        Assert.Throws<DreamException>(() => DelegationCertificate.Parse(bytes[..^1]));
        Assert.Throws<DreamException>(() => DelegationCertificate.Parse([.. bytes, 0]));
    }

    [Fact]
    public void RandomAndMutatedCertificatesAndHellosOnlyEverFailCleanly()
    {
        using var alice = new Principal("alice");
        using var human = IdentityStore.OpenSigner(alice.Home);
        using var agent = Dreamwell.Node.Secure.IdentityKeyPair.Generate();
        var valid = DelegationCertificate.Issue(human, agent.PublicKey, "ci-bot", DelegationScopes.Observe, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1)).Bytes;
        var session = new byte[32];
        var hello = Dreamwell.Node.FqtpMessages.EncodeHello(m => agent.Sign(m), session, "ci-bot", DreamIdentity.QuantumIdOf(agent.PublicKey), "Agent", 0, new string('0', 64), valid);
        Assert.NotNull(Dreamwell.Node.FqtpMessages.ReadHello(Dreamwell.Node.FqtpMessages.Parse(hello).Body, agent.PublicKey, session).Delegation);
        var random = new Random(20261125);
        for (var i = 0; i < 5000; i++)
        {
            var certificate = i % 3 == 0 ? RandomBytes(random, random.Next(0, 300)) : Mutate(random, valid);
            try { DelegationCertificate.Parse(certificate); }
            catch (DreamException e) { Assert.Equal(DelegationErrors.Invalid, e.ErrorId); }

            var message = Mutate(random, hello);
            try { Dreamwell.Node.FqtpMessages.ReadHello(Dreamwell.Node.FqtpMessages.Parse(message).Body, agent.PublicKey, session); }
            catch (DreamException) { /* any stable refusal is fine; anything else fails the test */ }
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(Random random, byte[] original)
    {
        var bytes = (byte[])original.Clone();
        for (var k = 0; k < 1 + random.Next(3); k++) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
        return random.Next(4) == 0 ? bytes[..random.Next(bytes.Length)] : bytes;
    }

    [Fact]
    public void TimeChecksNameTheirCause()
    {
        using var alice = new Principal("alice");
        using var human = IdentityStore.OpenSigner(alice.Home);
        var certificate = DelegationCertificate.Issue(human, new byte[32], "a", DelegationScopes.Observe, Start, Start.AddHours(1));
        certificate.CheckTime(Start);
        certificate.CheckTime(Start - TimeSpan.FromMinutes(4)); // within the clock skew allowance
        Assert.Equal(DelegationErrors.NotYetValid, Assert.Throws<DreamException>(() => certificate.CheckTime(Start - TimeSpan.FromMinutes(6))).ErrorId);
        Assert.Equal(DelegationErrors.Expired, Assert.Throws<DreamException>(() => certificate.CheckTime(Start.AddHours(1))).ErrorId);
        Assert.Equal("Expired", certificate.StatusAt(Start.AddHours(2)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-bot")]
    [InlineData("../escape")]
    [InlineData("a b")]
    [InlineData("ünicode")]
    public void AgentNamesAreSafeFolderNames(string name)
    {
        Assert.Equal(DelegationErrors.BadName, Assert.Throws<DreamException>(() => DelegationCertificate.CheckName(name)).ErrorId);
    }

    [Theory]
    [InlineData("24h", 24 * 60)]
    [InlineData("7d", 7 * 24 * 60)]
    [InlineData("90m", 90)]
    [InlineData("1d12h", 36 * 60)]
    [InlineData("2W", 14 * 24 * 60)]
    [InlineData("1.12:00:00", 36 * 60)]
    [InlineData("01:30:00", 90)]
    public void DurationsReadTheWayPeopleWriteThem(string text, int minutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(minutes), DelegationDuration.Parse(text));
    }

    [Theory]
    [InlineData("30s")]
    [InlineData("367d")]
    [InlineData("99999w")]
    [InlineData("tomorrow")]
    [InlineData("-1h")]
    [InlineData("1h1h1h1h1h1h")]
    public void DurationsOutsideTheBoundsOrUnreadableAreRefused(string text)
    {
        Assert.Equal(DelegationErrors.BadDuration, Assert.Throws<DreamException>(() => DelegationDuration.Parse(text)).ErrorId);
    }
}
