using System.Numerics;

namespace Kernels.Testing;

/// <summary>
/// Textbook scalar references, evaluated in double with error-free transformations (TwoSum, TwoProduct) so that
/// they are exact to within a unit in the last place of a double, far below any tolerance on the kernels.
/// </summary>
public static class Reference
{
    /// <summary>Σ x[i], with the sum of |x[i]| as the condition magnitude.</summary>
    public static (double Value, double Magnitude) Sum<T>(ReadOnlySpan<T> x) where T : IFloatingPointIeee754<T>
    {
        var sum = new CompensatedSum();
        double magnitude = 0;
        foreach (T v in x)
        {
            double d = double.CreateChecked(v);
            sum.Add(d);
            magnitude += Math.Abs(d);
        }
        return (sum.Value, magnitude);
    }

    /// <summary>Σ x[i]·y[i] (each product split exactly into product and error), with Σ|x[i]·y[i]| as the magnitude.</summary>
    /// <exception cref="ArgumentException"><paramref name="y"/> is not as long as <paramref name="x"/>.</exception>
    public static (double Value, double Magnitude) Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : IFloatingPointIeee754<T>
    {
        Guard.RequireLength(y.Length, x.Length, nameof(y), "the length of x");
        var sum = new CompensatedSum();
        double magnitude = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double a = double.CreateChecked(x[i]), b = double.CreateChecked(y[i]);
            double p = a * b;
            sum.Add(p);
            sum.Add(Math.FusedMultiplyAdd(a, b, -p));
            magnitude += Math.Abs(p);
        }
        return (sum.Value, magnitude);
    }

    /// <summary>√(Σ x[i]²) computed as max|x|·√(Σ (x[i]/max|x|)²), immune to overflow and underflow.</summary>
    public static double Nrm2<T>(ReadOnlySpan<T> x) where T : IFloatingPointIeee754<T>
    {
        double largest = 0;
        foreach (T v in x)
        {
            double d = double.CreateChecked(v);
            if (double.IsNaN(d))
            {
                return double.NaN;
            }
            largest = Math.Max(largest, Math.Abs(d));
        }
        if (largest == 0 || double.IsInfinity(largest))
        {
            return largest;
        }
        var sum = new CompensatedSum();
        foreach (T v in x)
        {
            double s = double.CreateChecked(v) / largest;
            sum.Add(s * s);
            sum.Add(Math.FusedMultiplyAdd(s, s, -(s * s)));
        }
        return largest * Math.Sqrt(sum.Value);
    }

    /// <summary>
    /// sin 2πu and cos 2πu, each as an unevaluated sum high + low: the argument is carried in double-double
    /// (2πu = a + b to about 2⁻¹⁰⁶ relative) and f(a + b) ≈ f(a) + b·f′(a). Rounding 2πu first would leave errors of order
    /// 10⁻¹⁶, large next to results near the zeros (sin 2π·½ would come out as 1.2e-16 instead of 0). Keeping low apart
    /// lets a caller measure an error without a final rounding; what remains is the platform's error in f(a).
    /// </summary>
    public static ((double High, double Low) Sin, (double High, double Low) Cos) SinCosTurnsSplit(double u)
    {
        const double TwoPiHigh = 2 * Math.PI, TwoPiLow = 2.4492935982947064e-16; // 2π − TwoPiHigh
        double a = TwoPiHigh * u;
        double b = Math.FusedMultiplyAdd(TwoPiHigh, u, -a) + TwoPiLow * u;
        var (sin, cos) = Math.SinCos(a);
        return ((sin, b * cos), (cos, -b * sin));
    }

    /// <summary>sin 2πu and cos 2πu, rounded from <see cref="SinCosTurnsSplit"/>.</summary>
    public static (double Sin, double Cos) SinCosTurns(double u)
    {
        var (sin, cos) = SinCosTurnsSplit(u);
        return (sin.High + sin.Low, cos.High + cos.Low);
    }

    /// <summary>Neumaier's compensated summation: error about one rounding of the total, independent of n.</summary>
    private struct CompensatedSum
    {
        private double _sum;
        private double _compensation;

        public readonly double Value => _sum + _compensation;

        public void Add(double value)
        {
            double t = _sum + value;
            _compensation += Math.Abs(_sum) >= Math.Abs(value) ? (_sum - t) + value : (value - t) + _sum;
            _sum = t;
        }
    }

    /// <summary>
    /// Element (i, j) of op(A)·op(B) by the textbook triple loop, with its condition magnitude Σ|a||b|.
    /// Operands are stored row-major with the given strides; op transposes when the flag says so.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A stride, the depth or an index is negative.</exception>
    /// <exception cref="ArgumentException">An operand is too short for element (i, j) at this depth and stride.</exception>
    public static (double Value, double Magnitude) ProductElement<T>(ReadOnlySpan<T> a, int strideA, bool transA,
        ReadOnlySpan<T> b, int strideB, bool transB, int depth, int i, int j) where T : IFloatingPointIeee754<T>
    {
        Guard.RequireAtLeast(strideA, 0, nameof(strideA));
        Guard.RequireAtLeast(strideB, 0, nameof(strideB));
        Guard.RequireAtLeast(depth, 0, nameof(depth));
        Guard.RequireAtLeast(i, 0, nameof(i));
        Guard.RequireAtLeast(j, 0, nameof(j));
        if (depth > 0)
        {
            long lastA = transA ? (long)(depth - 1) * strideA + i : (long)i * strideA + depth - 1;
            long lastB = transB ? (long)j * strideB + depth - 1 : (long)(depth - 1) * strideB + j;
            if (lastA >= a.Length || lastB >= b.Length)
            {
                throw new ArgumentException($"Element ({i}, {j}) at depth {depth} reads a[{lastA}] and b[{lastB}]; a has {a.Length} and b {b.Length} elements.",
                    lastA >= a.Length ? nameof(a) : nameof(b));
            }
        }
        var sum = new CompensatedSum();
        double magnitude = 0;
        for (int p = 0; p < depth; p++)
        {
            double x = double.CreateChecked(transA ? a[p * strideA + i] : a[i * strideA + p]);
            double y = double.CreateChecked(transB ? b[j * strideB + p] : b[p * strideB + j]);
            double product = x * y;
            sum.Add(product);
            sum.Add(Math.FusedMultiplyAdd(x, y, -product));
            magnitude += Math.Abs(product);
        }
        return (sum.Value, magnitude);
    }
}
