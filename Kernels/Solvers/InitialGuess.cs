namespace Kernels.Solvers;

/// <summary>Where an iterative solve starts.</summary>
public enum InitialGuess
{
    /// <summary>Start from x = 0; x's contents on entry are ignored (they may be uninitialized or NaN).</summary>
    Zero,

    /// <summary>Start from x's contents on entry (a warm start, e.g. the previous Gauss-Newton step); costs one extra operator application.</summary>
    FromX,
}
