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
    /// Algorithm 5 of seed 002 as written: Jᵀ restricted to the changed neurons U = ∪Q_i (|U|·d × n), a fresh OSNAP
    /// sketch S per iteration, S·Jᵀ = Q·R, and preconditioned conjugate gradient on J·Jᵀ·g = f − y with M = RᵀR (see
    /// <see cref="SketchedSolverOptions"/>). Neither S nor Jᵀ is stored: S·Jᵀ is computed from the active sets and the
    /// inputs (Jᵀ is a Khatri–Rao product, see <see cref="Kernels.Sketching.Operators.KhatriRaoSparseEmbedding{T}"/>) and
    /// J·Jᵀ is applied neuron by neuron, so the cost is proportional to Σ|Q_i|·d, not to m. A rank-deficient S·Jᵀ
    /// ends the run with <see cref="RegressionStatus.RankDeficient"/>, a solve that does not reach its tolerance with
    /// <see cref="RegressionStatus.NotConverged"/>. As with <see cref="Exact"/>, after the first iteration a step
    /// allocates only when the active sets outgrow every earlier step's.
    /// </summary>
    Sketched,
}
