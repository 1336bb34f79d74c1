namespace Kernels.Training.Ntk;

/// <summary>How <see cref="KernelRidge{T}"/> solves (K + λI)·α = y.</summary>
public enum KernelRidgeSolver
{
    /// <summary>Cholesky up to <see cref="KernelRidgeOptions.CholeskyLimit"/> points, preconditioned CG above.</summary>
    Auto,

    /// <summary>A dense Cholesky factor of K + λI (n³/3 flops), then two triangular solves for all right-hand sides at once.</summary>
    Cholesky,

    /// <summary>Conjugate gradient on K + λI with the randomized Nyström preconditioner (Frangella–Tropp–Udell), one solve per right-hand side.</summary>
    NystromPcg,
}
