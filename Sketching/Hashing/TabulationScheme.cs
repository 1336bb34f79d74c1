namespace Kernels.Sketching.Hashing;

/// <summary>The ways a <see cref="TabulationHash"/> splits a 32-bit key into table lookups.</summary>
public enum TabulationScheme
{
    /// <summary>
    /// Simple tabulation: four 8-bit characters, h(x) = T₀[x₀] ⊕ T₁[x₁] ⊕ T₂[x₂] ⊕ T₃[x₃]. 3-wise independent and not
    /// 4-wise: for keys (a, c), (a, d), (b, c), (b, d) in two of the characters the four values XOR to zero.
    /// Tables: 4 × 256 words (4 KiB).
    /// </summary>
    Simple,

    /// <summary>
    /// Thorup–Zhang tabulation for two 16-bit characters: h(x) = T₀[x₀] ⊕ T₁[x₁] ⊕ T₂[x₀ + x₁], with the derived
    /// character x₀ + x₁ an integer sum in [0, 2¹⁷ − 1). With fully random (in particular 5-independent) tables it is
    /// 5-wise independent (Thorup and Zhang, "Tabulation-based 5-independent hashing with applications to linear
    /// probing and second moment estimation", SIAM J. Comput. 41(2), 2012: 2c − 1 lookups for c characters).
    /// Tables: 2¹⁶ + 2¹⁶ + 2¹⁷ − 1 words (1 MiB).
    /// </summary>
    ThorupZhang,
}
