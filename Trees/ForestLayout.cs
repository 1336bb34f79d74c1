namespace Kernels.Trees;

/// <summary>How a <see cref="ThresholdForest"/> stores each of its max-trees. Both layouts give identical answers.</summary>
public enum ForestLayout
{
    /// <summary>
    /// Nodes of 16 children stored contiguously (one cache line): a query compares a node's children with one
    /// 512-bit (or two 256-bit) compares and follows the set bits of the mask. About m·16/15 floats per tree.
    /// The default.
    /// </summary>
    Wide = 0,

    /// <summary>
    /// The seed paper's binary implicit max-heap (children of node k at 2k and 2k + 1), scalar throughout: the
    /// reference. 2·2^⌈log₂ m⌉ floats per tree.
    /// </summary>
    Binary = 1,
}
