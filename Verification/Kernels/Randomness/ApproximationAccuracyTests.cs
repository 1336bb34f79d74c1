using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Kernels.Randomness;
using Kernels.Verification.Infrastructure;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Kernels.Verification.Kernels.Randomness;

/// <summary>
/// The generator's own logarithm and sine/cosine: error in ulps against the platform's libm (evaluated in double, or
/// with a double-double argument for sin/cos), and bit-identity of every vector width with the scalar code.
/// Float inputs are checked exhaustively over the grid the generator uses (k·2⁻²⁴), doubles on a million points.
/// </summary>
public sealed class ApproximationAccuracyTests(ITestOutputHelper output)
{
    /// <summary>The accuracy target. The measured worst cases, including the reference's own error of up to about half an ulp, are 0.8–1.7 ulps.</summary>
    private const double MaxUlps = 2;

    [Fact]
    public void Float_log_is_within_two_ulps_on_the_whole_generator_grid_and_paths_agree()
    {
        float[] x = new float[1 << 24];
        for (int k = 0; k < x.Length; k++)
        {
            x[k] = (k + 1) * (1f / (1 << 24)); // every u₁ the float normal generator can produce
        }
        CheckLog(x);
    }

    [Fact]
    public void Float_log_is_within_two_ulps_on_any_positive_normal_float()
    {
        var random = new System.Random(17);
        float[] x = new float[1 << 20];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = BitConverter.UInt32BitsToSingle((uint)random.Next(0x0080_0000, 0x7F80_0000));
        }
        x[0] = float.MaxValue;
        x[1] = BitConverter.UInt32BitsToSingle(0x0080_0000); // smallest normal
        x[2] = 1f;
        x[3] = MathF.BitDecrement(1f);
        x[4] = MathF.BitIncrement(1f);
        CheckLog(x);
    }

    [Fact]
    public void Double_log_is_within_two_ulps_on_generator_values_and_any_positive_normal_double()
    {
        var random = new System.Random(19);
        double[] x = new double[1 << 20];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = i % 2 == 0
                ? ((random.NextInt64() >>> 10) + 1) * Math.ScaleB(1, -53) // a u₁ of the double generator
                : BitConverter.UInt64BitsToDouble((ulong)random.NextInt64(0x0010_0000_0000_0000, 0x7FF0_0000_0000_0000));
        }
        x[0] = double.MaxValue;
        x[1] = Math.ScaleB(1, -1022); // smallest normal
        x[2] = 1;
        x[3] = Math.BitDecrement(1);
        x[4] = Math.ScaleB(1, -53);
        CheckLog(x);
    }

    [Fact]
    public void Float_sin_cos_are_within_two_ulps_on_the_whole_generator_grid_and_paths_agree()
    {
        float[] u = new float[1 << 24];
        for (int k = 0; k < u.Length; k++)
        {
            u[k] = k * (1f / (1 << 24)); // every u₂ the float normal generator can produce
        }
        CheckSinCos(u);
    }

    [Fact]
    public void Double_sin_cos_are_within_two_ulps_on_generator_values_and_quadrant_edges()
    {
        var random = new System.Random(23);
        var u = new List<double>();
        for (int i = 0; i < 1 << 20; i++)
        {
            u.Add((random.NextInt64() >>> 11) * Math.ScaleB(1, -53));
        }
        // Around every eighth of a turn, where the reduction switches quadrant or polynomial edge.
        for (int eighth = 0; eighth <= 8; eighth++)
        {
            for (int j = -64; j <= 64; j++)
            {
                double v = eighth / 8.0 + j * Math.ScaleB(1, -53);
                if (v >= 0 && v < 1)
                {
                    u.Add(v);
                }
            }
        }
        CheckSinCos(u.ToArray());
    }

    private void CheckLog<T>(T[] x) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        T[] scalar = new T[x.Length];
        double worst = 0;
        T worstAt = T.One;
        for (int i = 0; i < x.Length; i++)
        {
            scalar[i] = typeof(T) == typeof(float)
                ? (T)(object)NaturalLog.Log((float)(object)x[i])
                : (T)(object)NaturalLog.Log((double)(object)x[i]);
            double exact = Math.Log(double.CreateChecked(x[i]));
            double ulps = UlpError(scalar[i], exact);
            if (!(ulps <= MaxUlps))
            {
                throw new XunitException($"log<{typeof(T).Name}>({x[i]:R}) = {scalar[i]:R}, reference {exact:R}: {ulps:F2} ulps.");
            }
            if (ulps > worst)
            {
                (worst, worstAt) = (ulps, x[i]);
            }
        }
        output.WriteLine($"log<{typeof(T).Name}>: worst error {worst:F3} ulps, at x = {worstAt:R}, over {x.Length} points.");
        AssertVectorPathsMatch(x, scalar, "log", Log256, Log512);
    }

    private void CheckSinCos<T>(T[] u) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        T[] sines = new T[u.Length], cosines = new T[u.Length];
        double worst = 0, worstAt = 0;
        for (int i = 0; i < u.Length; i++)
        {
            (sines[i], cosines[i]) = typeof(T) == typeof(float)
                ? ((T, T))(object)TurnSinCos.SinCos((float)(object)u[i])
                : ((T, T))(object)TurnSinCos.SinCos((double)(object)u[i]);
            double turns = double.CreateChecked(u[i]);
            var (sin, cos) = Reference.SinCosTurnsSplit(turns);
            // At multiples of a quarter turn the exact value is 0 or ±1, and the exact reduction must give it exactly.
            if (turns * 4 == Math.Floor(turns * 4))
            {
                sin = (Math.Round(sin.High + sin.Low), 0);
                cos = (Math.Round(cos.High + cos.Low), 0);
            }
            double sinUlps = UlpError(sines[i], sin.High, sin.Low), cosUlps = UlpError(cosines[i], cos.High, cos.Low);
            if (!(sinUlps <= MaxUlps && cosUlps <= MaxUlps))
            {
                throw new XunitException(
                    $"sincos<{typeof(T).Name}>(2π·{turns:R}) = ({sines[i]:R}, {cosines[i]:R}), reference ({sin.High + sin.Low:R}, {cos.High + cos.Low:R}): {sinUlps:F2}, {cosUlps:F2} ulps.");
            }
            if (Math.Max(sinUlps, cosUlps) > worst)
            {
                (worst, worstAt) = (Math.Max(sinUlps, cosUlps), turns);
            }
        }
        output.WriteLine($"sincos<{typeof(T).Name}>: worst error {worst:F3} ulps, at u = {worstAt:R}, over {u.Length} points.");
        AssertVectorPathsMatch(u, sines, "sin", x => TurnSinCos256(x).Sin, x => TurnSinCos512(x).Sin);
        AssertVectorPathsMatch(u, cosines, "cos", x => TurnSinCos256(x).Cos, x => TurnSinCos512(x).Cos);
    }

    /// <summary>
    /// |actual − (high + low)| in units of the last place of <typeparamref name="T"/> at the exact value high + low; an
    /// exact zero must be met exactly. actual − high is exact (the two are within a factor of two), so no rounding of the
    /// reference enters the measure.
    /// </summary>
    private static double UlpError<T>(T actual, double high, double low = 0) where T : System.Numerics.IFloatingPointIeee754<T>
    {
        double error = Math.Abs(double.CreateChecked(actual) - high - low);
        if (high + low == 0)
        {
            return error == 0 ? 0 : double.PositiveInfinity;
        }
        T rounded = T.Abs(T.CreateChecked(high + low));
        double ulp = double.CreateChecked(T.BitIncrement(rounded) - rounded);
        return error / ulp;
    }

    /// <summary>Every supported vector width gives exactly the scalar bits for the same inputs.</summary>
    private static void AssertVectorPathsMatch<T>(T[] input, T[] scalar, string name,
        Func<Vector256<T>, Vector256<T>> function256, Func<Vector512<T>, Vector512<T>> function512)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        foreach (VectorPath path in RandomPaths.Supported.Where(p => p != VectorPath.Scalar))
        {
            int width = path == VectorPath.Vector512 ? Vector512<T>.Count : Vector256<T>.Count;
            T[] vector = new T[input.Length];
            for (int i = 0; i + width <= input.Length; i += width)
            {
                if (path == VectorPath.Vector512)
                {
                    function512(Vector512.LoadUnsafe(ref input[i])).StoreUnsafe(ref vector[i]);
                }
                else
                {
                    function256(Vector256.LoadUnsafe(ref input[i])).StoreUnsafe(ref vector[i]);
                }
            }
            int covered = input.Length / width * width;
            ReadOnlySpan<byte> vectorBits = MemoryMarshal.AsBytes(vector.AsSpan(0, covered)), scalarBits = MemoryMarshal.AsBytes(scalar.AsSpan(0, covered));
            int firstDifference = vectorBits.CommonPrefixLength(scalarBits) / Unsafe.SizeOf<T>();
            if (firstDifference < covered)
            {
                int i = firstDifference;
                throw new XunitException($"{name}<{typeof(T).Name}> on {path} gives {vector[i]:R} at input {input[i]:R}; scalar gives {scalar[i]:R}.");
            }
        }
    }

    private static Vector256<T> Log256<T>(Vector256<T> x) where T : unmanaged =>
        typeof(T) == typeof(float) ? NaturalLog.Log(x.AsSingle()).As<float, T>() : NaturalLog.Log(x.AsDouble()).As<double, T>();

    private static Vector512<T> Log512<T>(Vector512<T> x) where T : unmanaged =>
        typeof(T) == typeof(float) ? NaturalLog.Log(x.AsSingle()).As<float, T>() : NaturalLog.Log(x.AsDouble()).As<double, T>();

    private static (Vector256<T> Sin, Vector256<T> Cos) TurnSinCos256<T>(Vector256<T> u) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            var (sin, cos) = TurnSinCos.SinCos(u.AsSingle());
            return (sin.As<float, T>(), cos.As<float, T>());
        }
        var (s, c) = TurnSinCos.SinCos(u.AsDouble());
        return (s.As<double, T>(), c.As<double, T>());
    }

    private static (Vector512<T> Sin, Vector512<T> Cos) TurnSinCos512<T>(Vector512<T> u) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            var (sin, cos) = TurnSinCos.SinCos(u.AsSingle());
            return (sin.As<float, T>(), cos.As<float, T>());
        }
        var (s, c) = TurnSinCos.SinCos(u.AsDouble());
        return (s.As<double, T>(), c.As<double, T>());
    }
}
