using System.Numerics;
using Kernels.Blas;
using Kernels.Sketching.Operators;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Sketching.Operators;

/// <summary>The fast transform against the definition H[i, j] = (−1)^popcount(i AND j), and against the textbook loop.</summary>
public sealed class WalshHadamardTests
{
    /// <summary>Small integers keep every sum exact, so the transform must equal the O(n²) definition exactly.</summary>
    [Fact]
    public void Transform_equals_the_definition_for_every_length_up_to_4096()
    {
        Check<float>();
        Check<double>();

        static void Check<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int n = 1; n <= 4096; n *= 2)
            {
                T[] x = SampleData.Vector<T>(n, ValueKind.SmallIntegers, n).ToArray();
                T[] fast = (T[])x.Clone();
                WalshHadamard.Transform<T>(fast);
                for (int i = 0; i < n; i++)
                {
                    T sum = T.Zero;
                    for (int j = 0; j < n; j++)
                    {
                        sum += (BitOperations.PopCount((uint)(i & j)) & 1) == 0 ? x[j] : -x[j];
                    }
                    Tolerance.AssertIdentical(sum, fast[i], $"{typeof(T).Name} n={n} [{i}]");
                }
            }
        }
    }

    /// <summary>Each output is the same sequence of additions as in the textbook radix-2 loop, so the bits agree for any data.</summary>
    [Fact]
    public void Transform_equals_the_radix_two_loop_bit_for_bit()
    {
        Check<float>();
        Check<double>();

        static void Check<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            foreach (int n in new[] { 2, 8, 16, 32, 1 << 12, 1 << 13, 1 << 17 })
            {
                T[] x = SampleData.Vector<T>(n, ValueKind.WideRange, n).ToArray();
                T[] expected = (T[])x.Clone();
                for (int h = 1; h < n; h *= 2)
                {
                    for (int i = 0; i < n; i += 2 * h)
                    {
                        for (int j = i; j < i + h; j++)
                        {
                            (expected[j], expected[j + h]) = (expected[j] + expected[j + h], expected[j] - expected[j + h]);
                        }
                    }
                }
                WalshHadamard.Transform<T>(x);
                SketchReference.AssertIdentical<T>(expected, x, $"{typeof(T).Name} n={n}");
            }
        }
    }

    [Fact]
    public void Rows_transform_transforms_every_column()
    {
        const int n = 64, width = 21, stride = 24;
        double[] data = SampleData.Vector<double>(n * stride, ValueKind.Uniform, 5).ToArray();
        double[] rows = (double[])data.Clone();
        WalshHadamard.TransformRows(new MatrixView<double>(rows, n, width, stride));
        for (int c = 0; c < width; c++)
        {
            double[] column = Enumerable.Range(0, n).Select(r => data[r * stride + c]).ToArray();
            WalshHadamard.Transform<double>(column);
            for (int r = 0; r < n; r++)
            {
                Assert.Equal(column[r], rows[r * stride + c]);
            }
        }
        for (int r = 0; r < n; r++)
        {
            // The stride padding is not touched.
            Assert.Equal(data.AsSpan(r * stride + width, stride - width).ToArray(), rows.AsSpan(r * stride + width, stride - width).ToArray());
        }
    }

    [Fact]
    public void Lengths_that_are_not_powers_of_two_throw()
    {
        Assert.Throws<ArgumentException>("x", () => WalshHadamard.Transform<float>(new float[12]));
        Assert.Throws<ArgumentException>("x", () => WalshHadamard.Transform<float>([]));
        Assert.Throws<ArgumentException>("rows", () => WalshHadamard.TransformRows(new MatrixView<double>(new double[6], 3, 2)));
    }
}
