namespace Kernels.Solvers;

/// <summary>Which Gram matrix of an m × n map A a <see cref="GramOperator{T}"/> applies.</summary>
public enum GramForm
{
    /// <summary>AᵀA (n × n): the normal equations AᵀA·x = Aᵀb of least squares, and J·Jᵀ with A = Jᵀ.</summary>
    AtA,

    /// <summary>AAᵀ (m × m): J·Jᵀ with A = J, a kernel matrix Φ·Φᵀ of features Φ.</summary>
    AAt,
}
