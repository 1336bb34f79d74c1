using System.Numerics;
using Kernels.Blas;
using Kernels.Elementwise;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Elementwise;

/// <summary>
/// <see cref="Arithmetic"/> against scalar loops. Every result is one rounded operation per element (column sums: one
/// per row, in row order, as documented), so the comparisons are bitwise.
/// </summary>
public sealed class ArithmeticTests
{
    [Fact]
    public void Hadamard_matches_the_scalar_product_for_every_length_and_in_place()
    {
        foreach (int n in SampleData.SweepLengths())
        {
            Check<float>(new VectorCase(n, n % 7, ValueKind.Special, n));
            Check<double>(new VectorCase(n, n % 3, ValueKind.Uniform, n));
        }

        static void Check<T>(VectorCase c) where T : unmanaged, IFloatingPointIeee754<T>
        {
            T[] x = c.Values<T>(0).ToArray(), y = c.Values<T>(1).ToArray();
            T sentinel = T.CreateChecked(-31);
            T[] z = Enumerable.Repeat(sentinel, x.Length + 1).ToArray();
            Arithmetic.Hadamard<T>(x, y, z);
            T[] inPlace = (T[])x.Clone();
            Arithmetic.Hadamard<T>(inPlace, y, inPlace);
            for (int i = 0; i < x.Length; i++)
            {
                Tolerance.AssertIdentical(x[i] * y[i], z[i], $"Hadamard<{typeof(T).Name}>[{i}], {c}");
                Tolerance.AssertIdentical(x[i] * y[i], inPlace[i], $"in-place Hadamard<{typeof(T).Name}>[{i}], {c}");
            }
            Assert.Equal(sentinel, z[^1]);
        }
    }

    [KernelProperty]
    public void AddRowBias_adds_the_bias_to_every_row_and_leaves_the_padding(int rowsSeed, int columnsSeed, int extraSeed)
    {
        int rows = Math.Abs(rowsSeed % 9), columns = Math.Abs(columnsSeed % 70), extra = Math.Abs(extraSeed % 3);
        double[] data = SampleData.Vector<double>(Math.Max(0, rows * (columns + extra)), ValueKind.Uniform, rowsSeed).ToArray();
        double[] original = (double[])data.Clone();
        double[] bias = SampleData.Vector<double>(columns, ValueKind.Special, columnsSeed).ToArray();
        Arithmetic.AddRowBias(new MatrixView<double>(data, rows, columns, columns + extra), bias);
        for (int i = 0; i < data.Length; i++)
        {
            int c = i % (columns + extra);
            double expected = c < columns ? original[i] + bias[c] : original[i];
            Tolerance.AssertIdentical(expected, data[i], $"element {i} of {rows}×{columns} (stride {columns + extra})");
        }
    }

    [KernelProperty]
    public void ColumnSums_scale_then_add_the_rows_in_order(int rowsSeed, int columnsSeed, int betaChoice)
    {
        int rows = Math.Abs(rowsSeed % 11), columns = Math.Abs(columnsSeed % 90);
        float beta = Math.Abs(betaChoice % 3) switch { 0 => 0f, 1 => 1f, _ => -0.75f };
        float[] data = SampleData.Vector<float>(rows * (columns + 1), ValueKind.Uniform, rowsSeed).ToArray();
        float[] destination = SampleData.Vector<float>(columns, ValueKind.Uniform, columnsSeed).ToArray();
        if (beta == 0 && columns > 0)
        {
            destination[0] = float.NaN; // beta = 0 overwrites without reading
        }
        float[] expected = new float[columns];
        for (int c = 0; c < columns; c++)
        {
            float sum = beta == 0 ? 0 : beta == 1 ? destination[c] : beta * destination[c];
            for (int r = 0; r < rows; r++)
            {
                sum += data[r * (columns + 1) + c];
            }
            expected[c] = sum;
        }
        Arithmetic.ColumnSums(new ReadOnlyMatrixView<float>(data, rows, columns, columns + 1), destination, beta);
        for (int c = 0; c < columns; c++)
        {
            Tolerance.AssertIdentical(expected[c], destination[c], $"column {c} of {rows}×{columns}, beta {beta}");
        }
    }

    [Fact]
    public void ColumnSums_accumulate_two_halves_into_the_sum_of_the_whole()
    {
        // Integers: every partial sum is exact, so accumulating the halves (beta = 1) equals summing the whole.
        double[] data = SampleData.Vector<double>(40 * 33, ValueKind.SmallIntegers, 5).ToArray();
        var whole = new ReadOnlyMatrixView<double>(data, 40, 33);
        double[] once = new double[33], twice = new double[33];
        Arithmetic.ColumnSums(whole, once, 0.0);
        Arithmetic.ColumnSums(new ReadOnlyMatrixView<double>(data, 40, 33).Slice(0, 0, 17, 33), twice, 0.0);
        Arithmetic.ColumnSums(new ReadOnlyMatrixView<double>(data, 40, 33).Slice(17, 0, 23, 33), twice, 1.0);
        Assert.Equal(once, twice);
    }

    [Fact]
    public void Bad_arguments_throw_before_writing()
    {
        double[] x = new double[6], y = new double[5], z = new double[6];
        Assert.Throws<ArgumentException>("y", () => Arithmetic.Hadamard<double>(x, y, z));
        Assert.Throws<ArgumentException>("destination", () => Arithmetic.Hadamard<double>(x, x, new double[5]));
        double[] buffer = new double[12];
        Assert.Throws<ArgumentException>("destination", () => Arithmetic.Hadamard<double>(buffer.AsSpan(0, 6), x, buffer.AsSpan(1, 6)));

        double[] matrix = Enumerable.Range(0, 12).Select(i => (double)i).ToArray();
        double[] before = (double[])matrix.Clone();
        Assert.Throws<ArgumentException>("bias", () => Arithmetic.AddRowBias(new MatrixView<double>(matrix, 3, 4), new double[3]));
        Assert.Throws<ArgumentException>("bias", () => Arithmetic.AddRowBias(new MatrixView<double>(matrix, 3, 4), matrix.AsSpan(4, 4)));
        Assert.Equal(before, matrix);

        double[] sums = [1, 2, 3, 4];
        Assert.Throws<ArgumentException>("destination", () => Arithmetic.ColumnSums(new ReadOnlyMatrixView<double>(matrix, 3, 4), new double[5], 0.0));
        Assert.Throws<ArgumentOutOfRangeException>("beta", () => Arithmetic.ColumnSums(new ReadOnlyMatrixView<double>(matrix, 3, 4), sums, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>("beta", () => Arithmetic.ColumnSums(new ReadOnlyMatrixView<double>(matrix, 3, 4), sums, double.PositiveInfinity));
        Assert.Throws<ArgumentException>("destination", () => Arithmetic.ColumnSums(new ReadOnlyMatrixView<double>(matrix, 2, 4), matrix.AsSpan(4, 4), 0.0));
        Assert.Equal([1.0, 2, 3, 4], sums);
        Assert.Equal(before, matrix);
    }
}
