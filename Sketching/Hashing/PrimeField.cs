namespace Kernels.Sketching.Hashing;

/// <summary>The prime field a <see cref="PolynomialHash"/> works in.</summary>
public enum PrimeField
{
    /// <summary>
    /// p = 2⁶¹ − 1: every 32-bit key; values uniform on [0, p), so bucket probabilities are within 2/p ≈ 8.7·10⁻¹⁹ of
    /// 1/m. Scalar arithmetic (128-bit products folded with 2⁶¹ ≡ 1).
    /// </summary>
    Mersenne61,

    /// <summary>
    /// p = 2³¹ − 1: keys below 2³¹ − 1 only; values uniform on [0, p), so bucket probabilities are within
    /// 2/p ≈ 9.3·10⁻¹⁰ of 1/m. Vectorized with 32×32→64-bit products (vpmuludq), eight keys per 512-bit vector.
    /// </summary>
    Mersenne31,
}
