namespace Kernels.Testing;

/// <summary>The families of values test vectors are drawn from.</summary>
public enum ValueKind
{
    /// <summary>Uniform in [−1, 1].</summary>
    Uniform,

    /// <summary>Small integers: every sum and product is exact, so results must match a reference bit for bit.</summary>
    SmallIntegers,

    /// <summary>Log-uniform magnitudes over a wide exponent range with random signs (no overflow in sums or products).</summary>
    WideRange,

    /// <summary>Uniform values salted with ±0, subnormals, ±1 and large magnitudes.</summary>
    Special,
}
