namespace Kernels.Training.Trainers.GaussNewton;

/// <summary>How a Gauss-Newton step solves its n × n regression G·g = f − y, with G = J·Jᵀ.</summary>
public enum RegressionSolver
{
    /// <summary>
    /// Forms G exactly from the active sets, G_ij = (1/m)·⟨x_i, x_j⟩·|Q_i ∩ Q_j|, and solves by Cholesky in double
    /// precision. A G that is not positive definite ends the run with <see cref="RegressionStatus.NotPositiveDefinite"/>.
    /// </summary>
    Exact,

    /// <summary>
    /// Algorithm 5 of seed 002 as written: Jᵀ restricted to the changed neurons U = ∪Q_i (|U|·d × n, sparse), a fresh
    /// OSNAP sketch S per iteration, S·Jᵀ = Q·R, and preconditioned conjugate gradient on J·Jᵀ·g = f − y with M = RᵀR and
    /// J·Jᵀ applied through the sparse Jᵀ, never formed (see <see cref="SketchedSolverOptions"/>). A rank-deficient S·Jᵀ
    /// ends the run with <see cref="RegressionStatus.RankDeficient"/>, a solve that does not reach its tolerance with
    /// <see cref="RegressionStatus.NotConverged"/>. Unlike <see cref="Exact"/> a step allocates (the sparse Jᵀ, the sketch and
    /// its QR storage are built anew each iteration, since |U| changes).
    /// </summary>
    Sketched,
}
