using System.Numerics;
using Xunit.Sdk;

namespace Kernels.Testing;

/// <summary>
/// The one tolerance rule of the suite: |actual − exact| ≤ k·ε·magnitude + k·tiny, where ε is the machine epsilon
/// of the element type, tiny its smallest subnormal, k the error-growth factor of the algorithm (for a sum of
/// n terms in any order, k = n + 2 bounds the rounding error), and magnitude the sum of the absolute values of
/// the terms (the classic condition of a sum). Non-finite references must match exactly.
/// </summary>
public static class Tolerance
{
    /// <summary>Machine epsilon of <typeparamref name="T"/> as a double.</summary>
    public static double Epsilon<T>() where T : IFloatingPointIeee754<T> => double.CreateChecked(T.BitIncrement(T.One) - T.One);

    /// <summary>Smallest positive subnormal of <typeparamref name="T"/> as a double.</summary>
    public static double Tiny<T>() where T : IFloatingPointIeee754<T> => double.CreateChecked(T.Epsilon);

    /// <summary>Asserts the rule above, with a message that gives every quantity.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="growth"/> is negative or not finite, or <paramref name="magnitude"/> is NaN.</exception>
    public static void AssertClose<T>(T actual, double exact, double magnitude, double growth, string context)
        where T : IFloatingPointIeee754<T>
    {
        if (!(double.IsFinite(growth) && growth >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(growth), growth, "growth must be finite and non-negative.");
        }
        Guard.RequireNotNaN(magnitude, nameof(magnitude));
        double a = double.CreateChecked(actual);
        if (!double.IsFinite(exact))
        {
            bool same = double.IsNaN(exact) ? double.IsNaN(a) : a == exact;
            if (!same)
            {
                throw new XunitException($"{context}: expected {exact}, got {a}.");
            }
            return;
        }
        // The exact value itself must be representable: beyond the type's range the correct answer is ±∞.
        double bound = growth * (Epsilon<T>() * Math.Abs(magnitude) + Tiny<T>());
        double error = Math.Abs(a - exact);
        if (!(error <= bound))
        {
            throw new XunitException(
                $"{context}: got {a:R}, exact {exact:R}, error {error:E3} exceeds bound {bound:E3} (growth {growth}, magnitude {magnitude:E3}).");
        }
    }

    /// <summary>Asserts bitwise equality (NaN equals NaN), for results that must be exact.</summary>
    public static void AssertIdentical<T>(T expected, T actual, string context) where T : IFloatingPointIeee754<T>
    {
        bool same = T.IsNaN(expected) ? T.IsNaN(actual) : expected == actual && T.IsNegative(expected) == T.IsNegative(actual);
        if (!same)
        {
            throw new XunitException($"{context}: expected {expected}, got {actual}.");
        }
    }
}
