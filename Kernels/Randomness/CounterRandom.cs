using System.Numerics;
using System.Runtime.InteropServices;
using Kernels.Simd;

namespace Kernels.Randomness;

/// <summary>
/// A counter-based random number generator: value k of every sequence depends only on (<see cref="Seed"/>,
/// <see cref="Stream"/>, k), so any range of values can be produced on its own — in blocks, out of order, or in
/// parallel — with exactly the bits a single pass would give.
/// </summary>
/// <param name="Seed">The Philox key: key word 0 is its low 32 bits, key word 1 its high 32 bits.</param>
/// <param name="Stream">Counter words 2 (low 32 bits) and 3 (high 32 bits): independent sequences for one seed.</param>
/// <remarks>
/// <para><b>Where value k comes from.</b> Block b is <see cref="Philox4x32.Apply(uint, uint, uint, uint, uint, uint)"/> of the counter
/// (lo32(b), hi32(b), lo32(Stream), hi32(Stream)) under the key (lo32(Seed), hi32(Seed)), giving words w₀…w₃.
/// A method that makes r values per block takes blocks in groups of 16: index k lies in group g = ⌊k / 16r⌋,
/// row j = ⌊(k mod 16r) / 16⌋ and lane l = k mod 16, and is made from block b = 16g + l as follows.</para>
/// <list type="bullet">
/// <item><see cref="FillUInt32(Span{uint}, long)"/> (r = 4): wⱼ.</item>
/// <item><see cref="FillUniform{T}(Span{T}, long)"/> for float (r = 4): (wⱼ ≫ 8)·2⁻²⁴. For double (r = 2):
/// ((w₂ⱼ₊₁·2³² + w₂ⱼ) ≫ 11)·2⁻⁵³, the top 53 bits of the word pair with w₂ⱼ₊₁ high. Both are exact, in [0, 1).</item>
/// <item><see cref="FillUniform{T}(Span{T}, T, T, long)"/>: low + (high − low)·u for the u above (a multiply and an add,
/// each rounded), lowered to the largest value below high if rounding reached high.</item>
/// <item><see cref="FillNormal{T}(Span{T}, T, T, long)"/>: Box–Muller on u₁ in (0, 1] and u₂ in [0, 1), giving √(−2 ln u₁)·cos 2πu₂
/// (even rows) and √(−2 ln u₁)·sin 2πu₂ (odd rows), then mean + sd·z. For float (r = 4), rows 2i and 2i + 1 use
/// u₁ = (w₂ᵢ ≫ 8)·2⁻²⁴ + 2⁻²⁴ and u₂ = (w₂ᵢ₊₁ ≫ 8)·2⁻²⁴. For double (r = 2), u₁ is the 53-bit value of (w₀, w₁)
/// plus 2⁻⁵³ and u₂ that of (w₂, w₃).</item>
/// </list>
/// <para>Sixteen blocks per group is one AVX-512 vector per word, so whole rows are stored without shuffles; the layout
/// does not depend on the vector width used.</para>
/// <para>Indices run from 0 to <see cref="long.MaxValue"/>; block numbers stay below 2⁶¹.</para>
/// <para><b>Reproducibility.</b> Every value is the same, bit for bit, on every machine. Normal values use this library's
/// own logarithm and sine/cosine (polynomials within about an ulp) evaluated with the same IEEE operations in scalar
/// and vector code and never with fused multiply-add, so they depend neither on the vector width, the block
/// boundaries and the thread count, nor on whether the hardware fuses multiply-add.</para>
/// </remarks>
public readonly record struct CounterRandom(ulong Seed, ulong Stream)
{
    /// <summary>Writes uniform values in [0, 1) for indices <paramref name="startIndex"/> onward.</summary>
    /// <param name="destination">Receives values <c>startIndex … startIndex + destination.Length − 1</c>.</param>
    /// <param name="startIndex">Index of the first value written; values depend only on their index, not on how the range is split.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="startIndex"/> is negative, or the last index would pass <see cref="long.MaxValue"/>.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public void FillUniform<T>(Span<T> destination, long startIndex = 0) where T : unmanaged, IFloatingPointIeee754<T> =>
        FillUniform(destination, T.Zero, T.One, startIndex, VectorPaths.Widest);

    /// <summary>Writes values uniform on [<paramref name="low"/>, <paramref name="high"/>) for indices <paramref name="startIndex"/> onward.</summary>
    /// <param name="destination">Receives values <c>startIndex … startIndex + destination.Length − 1</c>.</param>
    /// <param name="low">Inclusive lower bound; finite.</param>
    /// <param name="high">Exclusive upper bound; finite, greater than <paramref name="low"/>, and with high − low finite.</param>
    /// <param name="startIndex">Index of the first value written.</param>
    /// <exception cref="ArgumentOutOfRangeException">A bound is not finite, <paramref name="high"/> is not above
    /// <paramref name="low"/> or their difference overflows, or <paramref name="startIndex"/> is negative or too large for the length.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public void FillUniform<T>(Span<T> destination, T low, T high, long startIndex = 0) where T : unmanaged, IFloatingPointIeee754<T> =>
        FillUniform(destination, low, high, startIndex, VectorPaths.Widest);

    /// <summary>Writes normal values with the given mean and standard deviation for indices <paramref name="startIndex"/> onward.</summary>
    /// <param name="destination">Receives values <c>startIndex … startIndex + destination.Length − 1</c>.</param>
    /// <param name="mean">Mean; finite.</param>
    /// <param name="standardDeviation">Standard deviation; finite and not negative (zero gives <paramref name="mean"/> everywhere).</param>
    /// <param name="startIndex">Index of the first value written.</param>
    /// <remarks>
    /// Standard normals are bounded by about 5.77 (float) and 8.57 (double), the largest Box–Muller radius the
    /// discrete u₁ allows, so mean + sd·z can overflow only when that does.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mean"/> or <paramref name="standardDeviation"/> is
    /// not finite, <paramref name="standardDeviation"/> is negative, or <paramref name="startIndex"/> is negative or too large for the length.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public void FillNormal<T>(Span<T> destination, T mean, T standardDeviation, long startIndex = 0) where T : unmanaged, IFloatingPointIeee754<T> =>
        FillNormal(destination, mean, standardDeviation, startIndex, VectorPaths.Widest);

    /// <summary>Writes raw 32-bit Philox words for indices <paramref name="startIndex"/> onward.</summary>
    /// <param name="destination">Receives values <c>startIndex … startIndex + destination.Length − 1</c>.</param>
    /// <param name="startIndex">Index of the first value written.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="startIndex"/> is negative, or the last index would pass <see cref="long.MaxValue"/>.</exception>
    public void FillUInt32(Span<uint> destination, long startIndex = 0) => FillUInt32(destination, startIndex, VectorPaths.Widest);

    /// <summary>
    /// Derives the seed of one component from a user's seed: distinct purposes give unrelated seeds, so two components
    /// built from one user seed never share a Philox stream by accident.
    /// </summary>
    /// <param name="seed">The user's seed.</param>
    /// <param name="purpose">What the derived seed is for; <see cref="Purpose"/> turns a short name into one.</param>
    /// <returns>
    /// Words X₀ (low 32 bits) and X₁ (high 32 bits) of <see cref="Philox4x32.Apply(uint, uint, uint, uint, uint, uint)"/>
    /// of the counter (lo32(purpose), hi32(purpose), 0x5EED5EED, 0xFFFFFFFF) under the key (lo32(seed), hi32(seed)).
    /// </returns>
    /// <remarks>
    /// <para><b>The rule.</b> A component that draws random numbers from a user seed s uses
    /// <c>new CounterRandom(Derive(s, Purpose("its-name")), stream)</c>, never s itself, and numbers its own streams
    /// from 0. Philox is a keyed bijection of 128-bit counters, so for one seed distinct purposes map to distinct
    /// 128-bit blocks; keeping 64 bits of a block that passes BigCrush makes two purposes collide with probability
    /// about 2⁻⁶⁴, and the library's own purposes are checked to give distinct seeds. The fixed counter words 2 and 3
    /// keep the derivation apart from the value sequences of small streams.</para>
    /// </remarks>
    public static ulong Derive(ulong seed, ulong purpose)
    {
        var (x0, x1, _, _) = Philox4x32.Apply((uint)purpose, (uint)(purpose >> 32), DeriveCounter2, DeriveCounter3, (uint)seed, (uint)(seed >> 32));
        return (ulong)x1 << 32 | x0;
    }

    /// <summary>
    /// A purpose for <see cref="Derive"/> from a name of 1 to 8 ASCII characters: character i is byte i (little-endian),
    /// so distinct names give distinct purposes.
    /// </summary>
    /// <param name="name">The name, such as "srht" or "gaussian".</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, longer than 8 characters, or not ASCII.</exception>
    public static ulong Purpose(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > 8)
        {
            throw new ArgumentException($"name has {name.Length} characters; a purpose name has 1 to 8.", nameof(name));
        }
        ulong purpose = 0;
        for (int i = 0; i < name.Length; i++)
        {
            if (name[i] is < (char)1 or > (char)127)
            {
                throw new ArgumentException($"name[{i}] is U+{(int)name[i]:X4}; a purpose name is ASCII without NUL.", nameof(name));
            }
            purpose |= (ulong)name[i] << (8 * i);
        }
        return purpose;
    }

    /// <summary>Counter words 2 and 3 of <see cref="Derive"/>: no stream a component numbers from 0 reaches them.</summary>
    private const uint DeriveCounter2 = 0x5EED5EED, DeriveCounter3 = 0xFFFFFFFF;

    /// <summary><see cref="FillUniform{T}(Span{T}, T, T, long)"/> on a chosen path, so tests can compare the paths in one process.</summary>
    internal void FillUniform<T>(Span<T> destination, T low, T high, long startIndex, VectorPath path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        Guard.RequireFinite(low, nameof(low));
        Guard.RequireFinite(high, nameof(high));
        if (!(high > low))
        {
            throw new ArgumentOutOfRangeException(nameof(high), high, $"high must be greater than low ({low}).");
        }
        T width = high - low;
        if (!T.IsFinite(width))
        {
            throw new ArgumentOutOfRangeException(nameof(high), high, $"high − low overflows (low is {low}); narrow the interval.");
        }
        ulong first = FirstIndex(startIndex, destination.Length);
        T highest = T.BitDecrement(high);
        if (typeof(T) == typeof(float))
        {
            var transform = new UniformSingleTransform((float)(object)low, (float)(object)width, (float)(object)highest);
            GroupDriver.Run(MemoryMarshal.Cast<T, float>(destination), first, Seed, Stream, transform, path);
        }
        else
        {
            var transform = new UniformDoubleTransform((double)(object)low, (double)(object)width, (double)(object)highest);
            GroupDriver.Run(MemoryMarshal.Cast<T, double>(destination), first, Seed, Stream, transform, path);
        }
    }

    /// <summary><see cref="FillNormal{T}(Span{T}, T, T, long)"/> on a chosen path.</summary>
    internal void FillNormal<T>(Span<T> destination, T mean, T standardDeviation, long startIndex, VectorPath path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        Guard.RequireFinite(mean, nameof(mean));
        Guard.RequireFinite(standardDeviation, nameof(standardDeviation));
        if (standardDeviation < T.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(standardDeviation), standardDeviation, "standardDeviation must not be negative.");
        }
        ulong first = FirstIndex(startIndex, destination.Length);
        if (typeof(T) == typeof(float))
        {
            var transform = new NormalSingleTransform((float)(object)mean, (float)(object)standardDeviation);
            GroupDriver.Run(MemoryMarshal.Cast<T, float>(destination), first, Seed, Stream, transform, path);
        }
        else
        {
            var transform = new NormalDoubleTransform((double)(object)mean, (double)(object)standardDeviation);
            GroupDriver.Run(MemoryMarshal.Cast<T, double>(destination), first, Seed, Stream, transform, path);
        }
    }

    /// <summary><see cref="FillUInt32(Span{uint}, long)"/> on a chosen path.</summary>
    internal void FillUInt32(Span<uint> destination, long startIndex, VectorPath path) =>
        GroupDriver.Run(destination, FirstIndex(startIndex, destination.Length), Seed, Stream, default(WordTransform), path);

    /// <summary>
    /// Validates the index range: values are numbered 0 … <see cref="long.MaxValue"/>, so every value can be the start of
    /// a fill. Block numbers then stay below 2⁶¹, far inside the 64-bit counter.
    /// </summary>
    private static ulong FirstIndex(long startIndex, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startIndex);
        if ((ulong)startIndex + (ulong)length > (ulong)long.MaxValue + 1)
        {
            throw new ArgumentOutOfRangeException(nameof(startIndex), startIndex,
                $"startIndex + destination.Length − 1 must not exceed long.MaxValue (destination.Length is {length}).");
        }
        return (ulong)startIndex;
    }
}
