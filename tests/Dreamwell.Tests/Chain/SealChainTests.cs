using System.Buffers.Binary;
using Dreamwell.Chain;
using Dreamwell.Identity;
using Dreamwell.Tests.Support;

namespace Dreamwell.Tests.Chain;

public class SealChainTests
{
    private static (TempHome Temp, IdentitySigner Signer) ChainOf(int entries)
    {
        var temp = new TempHome();
        IdentityAccess.NewIdentity(temp.Home, "chain", null, default, overwrite: false);
        var signer = IdentityStore.OpenSigner(temp.Home);
        for (var i = 1; i < entries; i++)
            SealChain.Append(temp.Home, signer, "test.op", new[] { Blake3Hash.Compute(BitConverter.GetBytes(i)) }, $"{{\"n\":{i}}}");
        return (temp, signer);
    }

    /// <summary>(offset, length) of each record including its 4-byte length prefix.</summary>
    private static List<(int Offset, int Length)> Records(byte[] chain)
    {
        var list = new List<(int, int)>();
        for (var at = 40; at < chain.Length;)
        {
            var length = 4 + (int)BinaryPrimitives.ReadUInt32LittleEndian(chain.AsSpan(at));
            list.Add((at, length));
            at += length;
        }
        return list;
    }

    [Fact]
    public void Appended_entries_link_and_verify()
    {
        var (temp, signer) = ChainOf(5);
        using (temp) using (signer)
        {
            var entries = SealChain.Read(temp.Home);
            Assert.Equal(5, entries.Count);
            for (var i = 1; i < entries.Count; i++)
            {
                Assert.Equal(i, entries[i].Index);
                Assert.Equal(entries[i - 1].Hash, entries[i].PreviousHash);
            }
            var verdict = SealChain.Verify(temp.Home);
            Assert.True(verdict.IsValid);
            Assert.Equal(5, verdict.Length);
            Assert.Equal(entries[^1].Hash, verdict.HeadHash);
        }
    }

    [Fact]
    public void Every_single_byte_flip_is_detected_at_or_before_its_entry()
    {
        var (temp, signer) = ChainOf(4);
        using (temp) using (signer)
        {
            var original = File.ReadAllBytes(temp.Home.ChainFile);
            var records = Records(original);
            for (var i = 0; i < original.Length; i++)
            {
                var bad = (byte[])original.Clone();
                bad[i] ^= 0x40;
                File.WriteAllBytes(temp.Home.ChainFile, bad);
                var verdict = SealChain.Verify(temp.Home);
                Assert.False(verdict.IsValid, $"flip at {i} went unnoticed");
                var owner = records.FindIndex(r => i >= r.Offset && i < r.Offset + r.Length);
                if (owner >= 0) Assert.True(verdict.FirstBadIndex <= owner, $"flip at {i} in entry {owner} reported at {verdict.FirstBadIndex}");
            }
        }
    }

    [Fact]
    public void Edited_entry_is_reported_with_its_index()
    {
        var (temp, signer) = ChainOf(5);
        using (temp) using (signer)
        {
            var chain = File.ReadAllBytes(temp.Home.ChainFile);
            var third = Records(chain)[2];
            chain[third.Offset + third.Length - 70] ^= 0x01; // inside the payload of entry 2
            File.WriteAllBytes(temp.Home.ChainFile, chain);
            var verdict = SealChain.Verify(temp.Home);
            Assert.False(verdict.IsValid);
            Assert.Equal(2, verdict.FirstBadIndex);
            Assert.Equal(ChainProblem.BadSignature, verdict.Problem);
        }
    }

    [Fact]
    public void Removing_an_entry_from_the_middle_is_truncation()
    {
        var (temp, signer) = ChainOf(5);
        using (temp) using (signer)
        {
            var chain = File.ReadAllBytes(temp.Home.ChainFile);
            var second = Records(chain)[1];
            File.WriteAllBytes(temp.Home.ChainFile, chain.Take(second.Offset).Concat(chain.Skip(second.Offset + second.Length)).ToArray());
            var verdict = SealChain.Verify(temp.Home);
            Assert.Equal((false, 1L, ChainProblem.Truncated), (verdict.IsValid, verdict.FirstBadIndex!.Value, verdict.Problem));
        }
    }

    [Fact]
    public void Swapped_entries_are_reordering()
    {
        var (temp, signer) = ChainOf(5);
        using (temp) using (signer)
        {
            var chain = File.ReadAllBytes(temp.Home.ChainFile);
            var r = Records(chain);
            var swapped = chain.Take(r[2].Offset)
                .Concat(chain.Skip(r[3].Offset).Take(r[3].Length))
                .Concat(chain.Skip(r[2].Offset).Take(r[2].Length))
                .Concat(chain.Skip(r[4].Offset)).ToArray();
            File.WriteAllBytes(temp.Home.ChainFile, swapped);
            var verdict = SealChain.Verify(temp.Home);
            Assert.Equal((false, 2L, ChainProblem.Reordered), (verdict.IsValid, verdict.FirstBadIndex!.Value, verdict.Problem));
        }
    }

    [Fact]
    public void Two_histories_from_one_point_are_a_fork()
    {
        var (temp, signer) = ChainOf(3);
        using (temp) using (signer)
        {
            var before = File.ReadAllBytes(temp.Home.ChainFile);
            var head = File.ReadAllBytes(temp.Home.ChainHeadFile);
            SealChain.Append(temp.Home, signer, "branch.a", Array.Empty<byte[]>(), "{}");
            var branchA = File.ReadAllBytes(temp.Home.ChainFile)[before.Length..];
            File.WriteAllBytes(temp.Home.ChainFile, before);
            File.WriteAllBytes(temp.Home.ChainHeadFile, head);
            SealChain.Append(temp.Home, signer, "branch.b", Array.Empty<byte[]>(), "{}");
            File.WriteAllBytes(temp.Home.ChainFile, File.ReadAllBytes(temp.Home.ChainFile).Concat(branchA).ToArray());

            var verdict = SealChain.Verify(temp.Home);
            Assert.Equal((false, 3L, ChainProblem.Fork), (verdict.IsValid, verdict.FirstBadIndex!.Value, verdict.Problem));
        }
    }

    [Fact]
    public void Entry_signed_by_another_key_is_a_bad_signature()
    {
        var (temp, signer) = ChainOf(3);
        using (temp) using (signer)
        using (var other = new TempHome())
        {
            IdentityAccess.NewIdentity(other.Home, "mallory", null, default, overwrite: false);
            using var mallory = IdentityStore.OpenSigner(other.Home);
            var entries = SealChain.Read(temp.Home);
            // Mallory writes a well-formed entry 3 that links correctly but carries her signature.
            File.Copy(temp.Home.ChainFile, other.Home.ChainFile, overwrite: true);
            var chain = File.ReadAllBytes(temp.Home.ChainFile);
            var unsignedBody = SealRecordCodecAccess.UnsignedBody(3, Convert.FromHexString(entries[^1].Hash), "forged");
            var signature = mallory.Sign(SealRecordCodecAccess.SignedMessage(unsignedBody));
            var record = BitConverter.GetBytes((uint)(unsignedBody.Length + 64)).Concat(unsignedBody).Concat(signature).ToArray();
            File.WriteAllBytes(temp.Home.ChainFile, chain.Concat(record).ToArray());

            var verdict = SealChain.Verify(temp.Home);
            Assert.Equal((false, 3L, ChainProblem.BadSignature), (verdict.IsValid, verdict.FirstBadIndex!.Value, verdict.Problem));
        }
    }

    [Fact]
    public void Cutting_the_tail_is_noticed_through_the_signed_head()
    {
        var (temp, signer) = ChainOf(4);
        using (temp) using (signer)
        {
            var chain = File.ReadAllBytes(temp.Home.ChainFile);
            var last = Records(chain)[^1];
            File.WriteAllBytes(temp.Home.ChainFile, chain[..last.Offset]);
            var verdict = SealChain.Verify(temp.Home);
            Assert.Equal((false, 3L, ChainProblem.TailTruncated), (verdict.IsValid, verdict.FirstBadIndex!.Value, verdict.Problem));
        }
    }

    [Fact]
    public void A_broken_chain_is_not_extended()
    {
        var (temp, signer) = ChainOf(3);
        using (temp) using (signer)
        {
            var chain = File.ReadAllBytes(temp.Home.ChainFile);
            chain[^10] ^= 1;
            File.WriteAllBytes(temp.Home.ChainFile, chain);
            File.Delete(temp.Home.ChainHeadFile);
            var error = Assert.Throws<DreamException>(() => SealChain.Append(temp.Home, signer, "more", Array.Empty<byte[]>(), "{}"));
            Assert.Equal("ChainBroken", error.ErrorId);
            Assert.Equal(chain, File.ReadAllBytes(temp.Home.ChainFile));
        }
    }

    [Fact]
    public void Receipts_round_trip_through_the_chain()
    {
        var (temp, signer) = ChainOf(1);
        using (temp) using (signer)
        {
            var input = Blake3Hash.Hex("in"u8);
            var output = Blake3Hash.Hex("out"u8);
            var issued = ReceiptBook.Issue(temp.Home, signer, new ReceiptDraft("Pack.QPort", "/x.qport", input, output, 100, 40,
                IntegrityVerdict.Verified, 3, TimeSpan.FromMilliseconds(8)));
            var read = Assert.Single(ReceiptBook.Read(temp.Home));
            Assert.Equal(issued, read);
            Assert.Equal(1, read.ChainIndex);
            Assert.Equal(input, read.InputHash);
            Assert.Equal(0.48, read.FrameShare, 2);
            Assert.Equal(128, read.Signature.Length);
        }
    }
}
