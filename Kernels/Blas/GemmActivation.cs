namespace Kernels.Blas;

/// <summary>The activation <see cref="Level3.GemmBiasActivation{T}"/> applies to each element of C as it stores it.</summary>
public enum GemmActivation
{
    /// <summary>No activation: C = α·op(A)·op(B) + β·C (+ bias).</summary>
    Identity,

    /// <summary>max(v, 0) under IEEE 754-2019 <c>maximum</c> (NaN stays NaN, −0 becomes +0), as <c>Rectifiers.Relu</c>.</summary>
    Relu,

    /// <summary>max(v − shift, 0), as <c>Rectifiers.ShiftedRelu</c>.</summary>
    ShiftedRelu,
}
