using Kernels.Randomness;

namespace Kernels.Sketching.Hashing;

/// <summary>
/// Polynomial hashing (Carter–Wegman): h(x) = (c₀·x^(k−1) + … + c_(k−1)) mod p with k coefficients uniform on
/// [0, p). Over a prime field the polynomials of degree below k map any k distinct keys to independent uniform
/// values, so the family is exactly k-wise independent for every k ≥ 2.
/// </summary>
/// <remarks>
/// <para><b>Fields and keys.</b> <see cref="PrimeField.Mersenne61"/> (p = 2⁶¹ − 1) takes every 32-bit key and is
/// evaluated in scalar code; <see cref="PrimeField.Mersenne31"/> (p = 2³¹ − 1) takes keys below 2³¹ − 1 (every
/// non-negative <see cref="int"/> except <see cref="int.MaxValue"/>) and is vectorized. Bucket maps are in
/// <see cref="IHashFunction"/>; their bias is at most 2/p per bucket.</para>
/// <para><b>Coefficients.</b> Drawn from the raw words of <c>CounterRandom(seed, stream)</c> by rejection, in order:
/// for 2⁶¹ − 1 each candidate is the word pair (w₂ᵢ, w₂ᵢ₊₁) as w₂ᵢ₊₁·2³² + w₂ᵢ with its top three bits cleared, for
/// 2³¹ − 1 each word with its top bit cleared; a candidate equal to p is skipped (probability 2⁻⁶¹ or 2⁻³¹), so the
/// accepted ones are exactly uniform on [0, p) and the same on every machine. Every 64-bit seed and stream is valid.</para>
/// </remarks>
public readonly struct PolynomialHash : IHashFunction
{
    /// <summary>The largest independence supported: far beyond any use here (Lemma 4.1 needs Θ(log N)).</summary>
    public const int MaxIndependence = 64;

    private readonly MersennePolynomial _polynomial;

    /// <summary>Draws a k-wise independent function: a polynomial of degree <paramref name="independence"/> − 1 over <paramref name="field"/>.</summary>
    /// <param name="independence">k, from 2 to <see cref="MaxIndependence"/>.</param>
    /// <param name="seed">Seed of the coefficient sequence.</param>
    /// <param name="stream">Stream of the coefficient sequence: different streams give independent functions.</param>
    /// <param name="field">The prime field; <see cref="PrimeField.Mersenne31"/> is the vectorized one.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="independence"/> is outside [2, <see cref="MaxIndependence"/>], or <paramref name="field"/> is not defined.</exception>
    public PolynomialHash(int independence, ulong seed, ulong stream, PrimeField field = PrimeField.Mersenne31)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(independence, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(independence, MaxIndependence);
        if (!Enum.IsDefined(field))
        {
            throw new ArgumentOutOfRangeException(nameof(field), field, "field must be Mersenne61 or Mersenne31.");
        }
        int bits = field == PrimeField.Mersenne61 ? 61 : 31;
        _polynomial = new MersennePolynomial(DrawCoefficients(independence, bits, new CounterRandom(seed, stream)), bits);
        Field = field;
    }

    /// <summary>The prime field of the coefficients and values.</summary>
    public PrimeField Field { get; }

    /// <summary>The prime p: 2⁶¹ − 1 or 2³¹ − 1.</summary>
    public ulong Prime => (1UL << _polynomial.Bits) - 1;

    /// <inheritdoc/>
    public int Independence => Coefficients.Length;

    /// <summary>2³² for <see cref="PrimeField.Mersenne61"/>; 2³¹ − 1 for <see cref="PrimeField.Mersenne31"/>.</summary>
    public ulong KeyCount => _polynomial.KeyCount;

    /// <summary>The coefficients c₀ (of x^(k−1)) … c_(k−1) (the constant), each in [0, p).</summary>
    public ReadOnlySpan<ulong> Coefficients => _polynomial.Coefficients;

    /// <summary>The hash value of <paramref name="key"/>, uniform on [0, p).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The key is not below <see cref="KeyCount"/>.</exception>
    public ulong Hash(uint key)
    {
        HashGuard.RequireKey(key, KeyCount);
        return _polynomial.Hash(key);
    }

    /// <inheritdoc/>
    public int Bucket(uint key, int buckets) => HashEntryPoints.Bucket(_polynomial, key, buckets);

    /// <inheritdoc/>
    public int Sign(uint key) => HashEntryPoints.Sign(_polynomial, key);

    /// <inheritdoc/>
    public (int Bucket, int Sign) BucketAndSign(uint key, int buckets) => HashEntryPoints.BucketAndSign(_polynomial, key, buckets);

    /// <inheritdoc/>
    public void Buckets(ReadOnlySpan<uint> keys, int buckets, Span<int> destination) => HashEntryPoints.Buckets(_polynomial, keys, buckets, destination);

    /// <inheritdoc/>
    public void Signs(ReadOnlySpan<uint> keys, Span<int> destination) => HashEntryPoints.Signs(_polynomial, keys, destination);

    /// <inheritdoc/>
    public void BucketsAndSigns(ReadOnlySpan<uint> keys, int buckets, Span<int> bucketDestination, Span<int> signDestination) =>
        HashEntryPoints.BucketsAndSigns(_polynomial, keys, buckets, bucketDestination, signDestination);

    /// <summary>The polynomial itself, for operators that hash in their own loops.</summary>
    internal MersennePolynomial Polynomial => _polynomial;

    /// <summary>k coefficients uniform on [0, 2^bits − 1) by rejection from consecutive raw words (see the remarks).</summary>
    private static ulong[] DrawCoefficients(int count, int bits, CounterRandom random)
    {
        var coefficients = new ulong[count];
        DrawCoefficients(coefficients, bits, random);
        return coefficients;
    }

    /// <summary>
    /// Fills <paramref name="coefficients"/> (k ≤ <see cref="MaxIndependence"/> of them) exactly as the constructor draws
    /// a function of independence k from <paramref name="random"/>, into storage the caller reuses: sketches that are
    /// resampled every call redraw their polynomials without allocating.
    /// </summary>
    internal static void DrawCoefficients(Span<ulong> coefficients, int bits, CounterRandom random)
    {
        ulong prime = (1UL << bits) - 1;
        int wordsPerCandidate = bits == 61 ? 2 : 1;
        int count = coefficients.Length;
        Span<uint> words = stackalloc uint[2 * MaxIndependence];
        long next = 0;
        int accepted = 0;
        while (accepted < count)
        {
            // Enough words for the missing coefficients; a rejection (probability ≤ 2⁻³¹) just takes another batch.
            Span<uint> batch = words[..((count - accepted) * wordsPerCandidate)];
            random.FillUInt32(batch, next);
            next += batch.Length;
            for (int i = 0; i < batch.Length && accepted < count; i += wordsPerCandidate)
            {
                ulong candidate = (wordsPerCandidate == 2 ? ((ulong)batch[i + 1] << 32) | batch[i] : batch[i]) & prime;
                if (candidate != prime)
                {
                    coefficients[accepted++] = candidate;
                }
            }
        }
    }
}
