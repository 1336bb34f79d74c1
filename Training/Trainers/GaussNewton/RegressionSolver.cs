namespace Kernels.Training.Trainers.GaussNewton;

/// <summary>How a Gauss-Newton step solves its n × n regression G·g = f − y, with G = J·Jᵀ.</summary>
public enum RegressionSolver
{
    /// <summary>
    /// Forms G exactly from the active sets, G_ij = (1/m)·⟨x_i, x_j⟩·|Q_i ∩ Q_j|, and solves by Cholesky in double
    /// precision. A G that is not positive definite ends the run with <see cref="RegressionStatus.NotPositiveDefinite"/>.
    /// </summary>
    Exact,
}
