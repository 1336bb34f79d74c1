using System.Numerics;
using Kernels.Blas;
using Kernels.Solvers;
using Kernels.Sketching.Operators;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Sketching.Operators;

/// <summary>
/// Seeds decide everything: equal seeds give equal operators, and a product is the same bits whether it is computed
/// whole or by column blocks, from a dense matrix or from an implicit one asked for in row blocks, on one thread or two.
/// Sizes are large enough for every blocking to matter: N = 1000 spans several Gemm depth blocks (384 floats, 256
/// doubles) and several implicit row blocks (2¹⁶ / d rows), and d = 200 splits into thread stripes.
/// </summary>
public sealed class DeterminismTests
{
    private const int S = 37, N = 1000, D = 200;

    /// <summary>A shape whose rows span several 4 KiB thread stripes, float or double: 2100 columns.</summary>
    private const int WideRows = 130, WideColumns = 2100;

    public static TheoryData<SketchKind> Kinds() => new(Enum.GetValues<SketchKind>());

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Equal_seeds_give_equal_operators_and_other_seeds_other_ones(SketchKind kind)
    {
        double[] first = Dense(SketchCase.Of(kind, S, N).Sample<double>(7));
        Assert.Equal(first, Dense(SketchCase.Of(kind, S, N).Sample<double>(7)));
        Assert.NotEqual(first, Dense(SketchCase.Of(kind, S, N).Sample<double>(8)));

        static double[] Dense(ISketch<double> sketch)
        {
            var m = new double[S * N];
            sketch.ToDense(new MatrixView<double>(m, S, N));
            return m;
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Column_blocks_row_blocks_and_threads_give_the_same_bits(SketchKind kind)
    {
        Check<float>(kind);
        Check<double>(kind);

        static void Check<T>(SketchKind kind) where T : unmanaged, IFloatingPointIeee754<T>
        {
            ISketch<T> sketch = SketchCase.Of(kind, S, N, 4).Sample<T>(2024);
            T[] a = SampleData.Matrix<T>(N, D, 11);
            var one = new BlasOptions { MaxThreads = 1 };
            var two = new BlasOptions { MaxThreads = 2, ParallelThreshold = 0 };
            T[] whole = Product(sketch, a, one);
            SketchReference.AssertIdentical<T>(whole, Product(sketch, a, two), $"{kind} {typeof(T).Name}: 2 threads");

            // Dense operands are split into thread stripes of at least 4 KiB per row, so only a wide A is really split.
            T[] wide = SampleData.Matrix<T>(WideRows, WideColumns, 12);
            var wideOne = new T[S * WideColumns];
            var wideTwo = new T[S * WideColumns];
            ISketch<T> wideSketch = SketchCase.Of(kind, S, WideRows, 4).Sample<T>(2025);
            wideSketch.Apply(new ReadOnlyMatrixView<T>(wide, WideRows, WideColumns), new MatrixView<T>(wideOne, S, WideColumns), one);
            wideSketch.Apply(new ReadOnlyMatrixView<T>(wide, WideRows, WideColumns), new MatrixView<T>(wideTwo, S, WideColumns), two);
            SketchReference.AssertIdentical<T>(wideOne, wideTwo, $"{kind} {typeof(T).Name}: 2 threads on a {WideRows}×{WideColumns} A");

            // A dense map takes the dense path: the same bits.
            var fromMap = new T[S * D];
            sketch.Apply(new DenseMap<T>(a, N, D), new MatrixView<T>(fromMap, S, D), two);
            SketchReference.AssertIdentical<T>(whole, fromMap, $"{kind} {typeof(T).Name}: dense map");

            // Columns 0–62, 63–149 and 150–199 sketched separately are the same columns of the whole product.
            foreach (var (start, width) in new[] { (0, 63), (63, 87), (150, 50) })
            {
                var block = new T[S * width];
                sketch.Apply(new ReadOnlyMatrixView<T>(a, N, D).Slice(0, start, N, width), new MatrixView<T>(block, S, width), one);
                for (int i = 0; i < S; i++)
                {
                    SketchReference.AssertIdentical<T>(whole.AsSpan(i * D + start, width), block.AsSpan(i * width, width), $"{kind} {typeof(T).Name}: columns from {start}, row {i}");
                }
            }
        }

        static T[] Product<T>(ISketch<T> sketch, T[] a, BlasOptions options) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var c = new T[S * D];
            sketch.Apply(new ReadOnlyMatrixView<T>(a, N, D), new MatrixView<T>(c, S, D), options);
            return c;
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Vector_products_are_the_columns_of_matrix_products(SketchKind kind)
    {
        // Not promised bit for bit (the vector and matrix paths may sum in different orders), but equal to rounding.
        ISketch<double> sketch = SketchCase.Of(kind, S, N, 4).Sample<double>(3);
        double[] x = SampleData.Vector<double>(N, ValueKind.Uniform, 4).ToArray();
        var sx = new double[S];
        var sxMatrix = new double[S];
        sketch.Apply(x, sx);
        sketch.Apply(new ReadOnlyMatrixView<double>(x, N, 1), new MatrixView<double>(sxMatrix, S, 1));
        for (int i = 0; i < S; i++)
        {
            Assert.Equal(sxMatrix[i], sx[i], 1e-12);
        }
    }
}
