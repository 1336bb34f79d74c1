using System.Numerics;
using System.Runtime.Intrinsics;

namespace Kernels.Simd;

/// <summary>
/// A per-element test for <see cref="MaskScan"/>: the scalar form and one vector form per width, each returning a
/// comparison mask (all bits of a lane set where the test holds, clear elsewhere), as
/// <c>Vector512.GreaterThanOrEqual</c> does. The driver turns the masks into bits and indices; a predicate only compares.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public interface ILanePredicate<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Whether the test holds for one element.</summary>
    bool Test(T x);

    /// <summary>The comparison mask of four (float) or two (double) elements.</summary>
    Vector128<T> Test(Vector128<T> x);

    /// <summary>The comparison mask of one 256-bit vector.</summary>
    Vector256<T> Test(Vector256<T> x);

    /// <summary>The comparison mask of one 512-bit vector.</summary>
    Vector512<T> Test(Vector512<T> x);
}
