namespace Kernels.Training.Ntk;

/// <summary>How <see cref="KernelRidge{T}"/> solves (K + λI)·α = y.</summary>
public enum KernelRidgeSolver
{
    /// <summary>Cholesky up to <see cref="KernelRidgeOptions.CholeskyLimit"/> points, preconditioned CG above.</summary>
    Auto,

    /// <summary>A dense Cholesky factor of K + λI (n³/3 flops), then two triangular solves for all right-hand sides at once.</summary>
    Cholesky,

    /// <summary>Conjugate gradient on K + λI with the randomized Nyström preconditioner (Frangella–Tropp–Udell), all right-hand sides together, one block product with K per iteration.</summary>
    NystromPcg,

    /// <summary>
    /// For double: a float Cholesky factor of K + λI (n³/3 flops at the float rate) and iterative refinement with the double
    /// K until the residual is at double-precision level (<see cref="Kernels.Linalg.MixedPrecisionCholesky"/>), falling back
    /// to <see cref="Cholesky"/> when the float factorization or the refinement fails (κ(K + λI)·ε_float ≳ 1). Needs n² floats
    /// beside K. For float it is <see cref="Cholesky"/>. <see cref="KernelRidge{T}.Solver"/> and <see cref="KernelRidge{T}.Refinement"/> report the path taken.
    /// </summary>
    MixedPrecisionCholesky,
}
