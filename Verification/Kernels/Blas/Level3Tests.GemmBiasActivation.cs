using System.Numerics;
using Kernels.Activations;
using Kernels.Blas;
using Kernels.Elementwise;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Blas;

/// <summary>
/// <see cref="Level3.GemmBiasActivation{T}"/> (the fused epilogue) against the separate passes it replaces — Gemm, then
/// <see cref="Arithmetic.AddRowBias{T}"/>, then <see cref="Rectifiers"/> — bit for bit: on generated shapes, with depths
/// spanning several depth blocks (only the last may apply the epilogue), on one and two threads, and with bad arguments.
/// </summary>
public sealed partial class Level3Tests
{
    private static readonly GemmActivation[] Activations = [GemmActivation.Identity, GemmActivation.Relu, GemmActivation.ShiftedRelu];

    [KernelProperty]
    public void Fused_equals_gemm_then_bias_then_activation(MatrixCase c)
    {
        foreach (GemmActivation activation in Activations)
        {
            foreach (bool withBias in new[] { true, false })
            {
                Check<float>(c, activation, withBias, 0.5f, null);
                Check<double>(c, activation, withBias, 0.0, null);
            }
        }
    }

    [Theory]
    [InlineData(37, 41, 23)]
    [InlineData(12, 64, 100)]
    [InlineData(50, 3, 1)]
    public void Depth_spanning_several_blocks_applies_the_epilogue_once_on_any_thread_count(int rows, int columns, int depth)
    {
        // Depth blocks of 5 (so 5 blocks for depth 23) and small row and column blocks: every loop of the nest turns.
        var blocking = new GemmBlocking(RowBlock: 13, DepthBlock: 5, ColumnBlock: 33);
        var c = new MatrixCase(rows, columns, depth, 2, Transpose.Transposed, Transpose.None, rows * 1000 + depth);
        foreach (GemmActivation activation in Activations)
        {
            float[] single = Check<float>(c, activation, true, -0.25f, new BlasOptions { Blocking = blocking, MaxThreads = 1 });
            float[] threaded = Check<float>(c, activation, true, -0.25f, new BlasOptions { Blocking = blocking, MaxThreads = 2, ParallelThreshold = 0 });
            Assert.Equal(single, threaded);
            double[] singleDouble = Check<double>(c, activation, true, 0.125, new BlasOptions { Blocking = blocking, MaxThreads = 1 });
            double[] threadedDouble = Check<double>(c, activation, true, 0.125, new BlasOptions { Blocking = blocking, MaxThreads = 2, ParallelThreshold = 0 });
            Assert.Equal(singleDouble, threadedDouble);
        }
    }

    /// <summary>Runs the fused product and the separate passes on the same data (beta = 0, 1 and 0.5 in turn), asserts identical bits, returns C.</summary>
    private static T[] Check<T>(MatrixCase c, GemmActivation activation, bool withBias, T shiftValue, BlasOptions? options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T shift = activation == GemmActivation.ShiftedRelu ? shiftValue : T.Zero;
        T[] a = c.Stored<T>(c.StoredA, 0, out int strideA), b = c.Stored<T>(c.StoredB, 1, out int strideB);
        var viewA = new ReadOnlyMatrixView<T>(a, c.StoredA.Rows, c.StoredA.Columns, strideA);
        var viewB = new ReadOnlyMatrixView<T>(b, c.StoredB.Rows, c.StoredB.Columns, strideB);
        T[] bias = withBias ? SampleData.Vector<T>(c.Columns, ValueKind.Uniform, c.Seed + 5).ToArray() : [];
        T[] fused = [];
        foreach (double betaValue in new[] { 0.0, 1.0, 0.5 })
        {
            T beta = T.CreateChecked(betaValue), alpha = T.CreateChecked(1.5);
            T[] initial = c.Stored<T>((c.Rows, c.Columns), 2, out int strideC);
            fused = (T[])initial.Clone();
            T[] separate = (T[])initial.Clone();
            Level3.GemmBiasActivation(c.TransA, c.TransB, alpha, viewA, viewB, beta, new MatrixView<T>(fused, c.Rows, c.Columns, strideC), bias, activation, shift, options);

            var separateView = new MatrixView<T>(separate, c.Rows, c.Columns, strideC);
            Level3.Gemm(c.TransA, c.TransB, alpha, viewA, viewB, beta, separateView, options);
            if (withBias)
            {
                Arithmetic.AddRowBias<T>(separateView, bias);
            }
            for (int r = 0; r < c.Rows; r++)
            {
                Span<T> row = separateView.Row(r);
                if (activation == GemmActivation.Relu)
                {
                    Rectifiers.Relu<T>(row, row);
                }
                else if (activation == GemmActivation.ShiftedRelu)
                {
                    Rectifiers.ShiftedRelu<T>(row, shift, row);
                }
            }
            for (int i = 0; i < fused.Length; i++)
            {
                Tolerance.AssertIdentical(separate[i], fused[i], $"C[{i / strideC}, {i % strideC}] of {c}, {activation}, bias {withBias}, beta {betaValue}");
            }
        }
        return fused;
    }

    [Fact]
    public void Empty_depth_applies_the_epilogue_to_beta_times_c()
    {
        double[] c = [1, -2, 3, -4, 5, -6];
        Level3.GemmBiasActivation(Transpose.None, Transpose.None, 1.0, new ReadOnlyMatrixView<double>([], 2, 0), new ReadOnlyMatrixView<double>([], 0, 3),
            2.0, new MatrixView<double>(c, 2, 3), [10.0, 0, -1], GemmActivation.ShiftedRelu, 4.0);
        Assert.Equal([8.0, 0, 1, 0, 6, 0], c);
    }

    [Fact]
    public void Bad_arguments_throw_before_writing()
    {
        double[] c = Enumerable.Repeat(7.0, 4).ToArray();
        double[] threeBias = new double[3];
        Assert.Throws<ArgumentException>("bias", () => Fused(c, 2, 1.0, 0.0, threeBias, 0, 3, GemmActivation.Identity, 0.0));
        Assert.Throws<ArgumentException>("c", () => Fused(c, 2, 1.0, 0.0, c, 2, 2, GemmActivation.Identity, 0.0));
        Assert.Throws<ArgumentOutOfRangeException>("activation", () => Fused(c, 2, 1.0, 0.0, c, 0, 0, (GemmActivation)3, 0.0));
        Assert.Throws<ArgumentOutOfRangeException>("shift", () => Fused(c, 2, 1.0, 0.0, c, 0, 0, GemmActivation.ShiftedRelu, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>("shift", () => Fused(c, 2, 1.0, 0.0, c, 0, 0, GemmActivation.Relu, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>("alpha", () => Fused(c, 2, double.NaN, 0.0, c, 0, 0, GemmActivation.Relu, 0.0));
        Assert.Throws<ArgumentOutOfRangeException>("beta", () => Fused(c, 2, 1.0, double.PositiveInfinity, c, 0, 0, GemmActivation.Relu, 0.0));
        Assert.Throws<ArgumentException>("c", () => Fused(c, 1, 1.0, 0.0, c, 0, 0, GemmActivation.Relu, 0.0));
        Assert.All(c, v => Assert.Equal(7.0, v));
    }

    /// <summary>A 2×3 by 3×2 fused product into the first <paramref name="rows"/> rows of <paramref name="c"/> (2 columns), with a bias slice.</summary>
    private static void Fused(double[] c, int rows, double alpha, double beta, double[] bias, int biasStart, int biasLength, GemmActivation activation, double shift) =>
        Level3.GemmBiasActivation(Transpose.None, Transpose.None, alpha, new ReadOnlyMatrixView<double>(new double[6], 2, 3), new ReadOnlyMatrixView<double>(new double[6], 3, 2),
            beta, new MatrixView<double>(c, rows, 2), bias.AsSpan(biasStart, biasLength), activation, shift);
}
