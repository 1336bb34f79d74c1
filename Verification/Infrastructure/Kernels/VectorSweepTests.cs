using System.Numerics;

namespace Kernels.Verification.Infrastructure;

/// <summary>
/// The two tests every vector kernel gets, written once: its check on every length of <see cref="SampleData.SweepLengths"/>
/// (small integers, so results are exact, at offsets that vary with the length) and on generated
/// <see cref="VectorCase"/>s, each for float and double. A test class derives from this and supplies the check.
/// </summary>
public abstract class VectorSweepTests
{
    [Fact]
    public void Matches_a_scalar_loop_for_every_length()
    {
        foreach (int n in SampleData.SweepLengths())
        {
            Check<float>(new VectorCase(n, n % 13, ValueKind.SmallIntegers, n));
            Check<double>(new VectorCase(n, n % 7, ValueKind.SmallIntegers, n + 1));
        }
    }

    [KernelProperty]
    public void Matches_a_scalar_loop(VectorCase c)
    {
        Check<float>(c);
        Check<double>(c);
    }

    /// <summary>Runs the kernel on <paramref name="c"/>'s values and asserts it matches its scalar reference.</summary>
    protected abstract void Check<T>(VectorCase c) where T : unmanaged, IFloatingPointIeee754<T>;
}
