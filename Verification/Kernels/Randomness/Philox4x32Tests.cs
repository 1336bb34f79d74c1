using Kernels.Randomness;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Randomness;

/// <summary>The Philox4x32-10 bijection against the published Random123 known-answer vectors.</summary>
public sealed class Philox4x32Tests
{
    /// <summary>
    /// The three philox4x32 10 lines of Random123's <c>tests/kat_vectors</c> (github.com/DEShawResearch/random123,
    /// lines 27–29 at commit 9545ff6413f258be2f04c1d319d99aaef7521150): counter words 0–3, key words 0–1, expected
    /// output words 0–3. The third uses the hexadecimal digits of π for counter and key.
    /// </summary>
    public static TheoryData<uint[], uint[], uint[]> KnownAnswers => new()
    {
        { [0x00000000, 0x00000000, 0x00000000, 0x00000000], [0x00000000, 0x00000000], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8] },
        { [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd] },
        { [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1] },
    };

    [Theory]
    [MemberData(nameof(KnownAnswers))]
    public void Matches_the_Random123_known_answers(uint[] counter, uint[] key, uint[] expected)
    {
        var (x0, x1, x2, x3) = Philox4x32.Apply(counter[0], counter[1], counter[2], counter[3], key[0], key[1]);
        Assert.Equal(expected, new[] { x0, x1, x2, x3 });
    }

    [Fact]
    public void Constants_are_those_of_Random123()
    {
        Assert.Equal(0xD2511F53u, Philox4x32.Multiplier0);
        Assert.Equal(0xCD9E8D57u, Philox4x32.Multiplier1);
        Assert.Equal(0x9E3779B9u, Philox4x32.KeyIncrement0);
        Assert.Equal(0xBB67AE85u, Philox4x32.KeyIncrement1);
        Assert.Equal(10, Philox4x32.Rounds);
    }

    /// <summary>
    /// The all-zero known answer reached through the generator on every vector path: seed 0, stream 0, block 0 is
    /// counter 0 and key 0, and its words are values 0, 16, 32 and 48 (rows 0–3 of lane 0 of group 0).
    /// </summary>
    [Fact]
    public void The_zero_known_answer_comes_out_of_FillUInt32_on_every_path()
    {
        foreach (VectorPath path in RandomPaths.Supported)
        {
            uint[] words = new uint[64];
            new CounterRandom(0, 0).FillUInt32(words, 0, path);
            Assert.Equal(new uint[] { 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8 }, new[] { words[0], words[16], words[32], words[48] });
        }
    }

    /// <summary>Every generated word is the documented Philox word: index k → group k/64, row (k mod 64)/16, lane k mod 16.</summary>
    [KernelProperty]
    public void FillUInt32_is_the_documented_Philox_word_on_every_path(FillSplit c)
    {
        var random = new CounterRandom(c.Seed, c.Stream);
        foreach (VectorPath path in RandomPaths.Supported)
        {
            uint[] words = new uint[c.Length];
            random.FillUInt32(words, c.Start, path);
            for (int i = 0; i < words.Length; i++)
            {
                ulong k = (ulong)c.Start + (ulong)i;
                ulong block = k / 64 * 16 + k % 16;
                var (x0, x1, x2, x3) = Philox4x32.Apply((uint)block, (uint)(block >> 32), (uint)c.Stream, (uint)(c.Stream >> 32), (uint)c.Seed, (uint)(c.Seed >> 32));
                uint expected = (k % 64 / 16) switch { 0 => x0, 1 => x1, 2 => x2, _ => x3 };
                Assert.True(expected == words[i], $"{path}: index {k} of {c}: expected 0x{expected:X8}, got 0x{words[i]:X8}");
            }
        }
    }
}
