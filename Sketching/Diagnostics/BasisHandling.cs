namespace Kernels.Sketching.Diagnostics;

/// <summary>What <see cref="SubspaceDistortion.Measure{T}"/> does with the basis it is given.</summary>
public enum BasisHandling
{
    /// <summary>The columns must already be orthonormal (QᵀQ ≈ I within the stated tolerance); otherwise the call throws.</summary>
    RequireOrthonormal,

    /// <summary>The columns may be any basis of full column rank; they are orthonormalized first (Householder QR, thin Q).</summary>
    Orthonormalize,
}
