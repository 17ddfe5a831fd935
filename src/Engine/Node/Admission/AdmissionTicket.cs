using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Dreamwell.Node.Admission;

/// <summary>
/// A resumption ticket: a friend got it inside an encrypted session and presents it, under load, instead of
/// solving the puzzle. <see cref="Id"/> = expiry (8 bytes, Unix seconds, big-endian) ‖ the holder's QuantumId
/// (8 bytes) ‖ 8 random bytes; <see cref="Secret"/> = keyed BLAKE3 of the id under the issuing node's ticket key,
/// so the issuer keeps no state. Only the proof of the secret crosses the wire in the clear.
/// </summary>
public sealed record AdmissionTicket(byte[] Id, byte[] Secret, DateTimeOffset Expires)
{
    public const int IdLength = 24;
    private static readonly byte[] ProofDomain = Encoding.ASCII.GetBytes("dreamwell-admission-ticket-proof-v1");

    /// <summary>keyed-BLAKE3(secret, "dreamwell-admission-ticket-proof-v1" ‖ challenge ‖ message 1).</summary>
    public static byte[] Proof(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> message1)
    {
        using var hasher = Blake3.Hasher.NewKeyed(secret);
        hasher.Update(ProofDomain);
        hasher.Update(challenge);
        hasher.Update(message1);
        var proof = new byte[32];
        hasher.Finalize(proof);
        return proof;
    }
}

/// <summary>Issues and checks this node's tickets. The key lives in memory only: a restart voids every ticket.</summary>
internal sealed class TicketAuthority : IDisposable
{
    private static readonly byte[] SecretDomain = Encoding.ASCII.GetBytes("dreamwell-admission-ticket-v1");
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public AdmissionTicket Issue(string quantumId, DateTimeOffset expires)
    {
        var id = new byte[AdmissionTicket.IdLength];
        BinaryPrimitives.WriteInt64BigEndian(id, expires.ToUnixTimeSeconds());
        Convert.FromHexString(quantumId).CopyTo(id, 8);
        RandomNumberGenerator.Fill(id.AsSpan(16));
        return new AdmissionTicket(id, Secret(id), DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()));
    }

    /// <summary>The QuantumId the ticket was issued to, or null when the ticket is expired or the proof is wrong.</summary>
    public string? Verify(ReadOnlySpan<byte> ticketId, ReadOnlySpan<byte> proof, ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> message1, DateTimeOffset now)
    {
        if (ticketId.Length != AdmissionTicket.IdLength || proof.Length != 32) return null;
        if (BinaryPrimitives.ReadInt64BigEndian(ticketId) <= now.ToUnixTimeSeconds()) return null;
        var expected = AdmissionTicket.Proof(Secret(ticketId), challenge, message1);
        return CryptographicOperations.FixedTimeEquals(expected, proof) ? Convert.ToHexStringLower(ticketId.Slice(8, 8)) : null;
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);

    private byte[] Secret(ReadOnlySpan<byte> id)
    {
        using var hasher = Blake3.Hasher.NewKeyed(_key);
        hasher.Update(SecretDomain);
        hasher.Update(id);
        var secret = new byte[32];
        hasher.Finalize(secret);
        return secret;
    }
}
