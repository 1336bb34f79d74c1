using Kernels.Blas;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Blas;

/// <summary>Gemm's per-thread pack buffer: aligned, reused, grown on demand, and never shared by a nested call.</summary>
public sealed unsafe class PackBufferTests
{
    [Fact]
    public void A_thread_gets_its_buffer_back_aligned_and_grown_on_demand()
    {
        PackBuffer first = PackBuffer.Rent(100);
        byte* start = first.Start;
        PackBuffer.Return(first);
        PackBuffer again = PackBuffer.Rent(100);
        Assert.Same(first, again);
        Assert.True(again.Start == start, "A request that fits reuses the memory.");
        PackBuffer.Return(again);

        // Larger than the default float blocking needs (about 2.7 MiB), so the buffer must grow.
        const int large = 6 << 20;
        PackBuffer grown = PackBuffer.Rent(large);
        Assert.Same(first, grown);
        Assert.Equal(0ul, (ulong)grown.Start % PackBuffer.Line);
        new Span<byte>(grown.Start, large).Fill(0xA5); // the whole request is writable
        PackBuffer.Return(grown);
    }

    [Fact]
    public void Lengths_round_up_to_whole_cache_lines()
    {
        Assert.Equal(0u, (uint)PackBuffer.RoundUpToLine(0));
        Assert.Equal(64u, (uint)PackBuffer.RoundUpToLine(1));
        Assert.Equal(64u, (uint)PackBuffer.RoundUpToLine(64));
        Assert.Equal(128u, (uint)PackBuffer.RoundUpToLine(65));
    }

    [Fact]
    public void A_nested_rent_gets_a_buffer_of_its_own()
    {
        PackBuffer outer = PackBuffer.Rent(256);
        PackBuffer inner = PackBuffer.Rent(256);
        Assert.NotSame(outer, inner);
        Assert.False(outer.Start == inner.Start);
        PackBuffer.Return(inner);
        PackBuffer.Return(outer);
        Assert.Same(outer, PackBuffer.Rent(256)); // the outer call's buffer is the one the thread keeps
        PackBuffer.Return(outer);
    }

    [Fact]
    public void A_gemm_run_while_another_packs_on_the_same_thread_leaves_the_outer_panels_intact()
    {
        const int m = 40, n = 50, k = 30;
        double[] a = SampleData.Matrix<double>(m, k, 1), b = SampleData.Matrix<double>(k, n, 2);
        double[] expected = new double[m * n], actual = new double[m * n];
        Level3.Gemm(Transpose.None, Transpose.None, 1.0, new ReadOnlyMatrixView<double>(a, m, k), new ReadOnlyMatrixView<double>(b, k, n),
            0.0, new MatrixView<double>(expected, m, n), BlasOptions.SingleThreaded);

        // B's source multiplies something else each time it packs, after A's panels are packed: had the inner call
        // reused the outer call's buffer, it would have overwritten them.
        var nesting = new NestingSource(new DenseMatrixSource<double>(b, k, n), SampleData.Matrix<double>(m, k, 3), m, k);
        Level3.Gemm(1.0, new DenseMatrixSource<double>(a, m, k), nesting, 0.0, new MatrixView<double>(actual, m, n), BlasOptions.SingleThreaded);
        Assert.Equal(expected, actual);
    }

    /// <summary>A dense right operand that runs a Gemm of its own before each column-panel packing.</summary>
    private readonly struct NestingSource(DenseMatrixSource<double> inner, double[] other, int otherRows, int otherColumns) : IPanelSource<double>
    {
        public int Rows => inner.Rows;

        public int Columns => inner.Columns;

        public void PackRowPanels(int row, int rowCount, int column, int columnCount, int panelRows, Span<double> destination) =>
            inner.PackRowPanels(row, rowCount, column, columnCount, panelRows, destination);

        public void PackColumnPanels(int row, int rowCount, int column, int columnCount, int panelColumns, Span<double> destination)
        {
            var view = new ReadOnlyMatrixView<double>(other, otherRows, otherColumns);
            var gram = new double[otherRows * otherRows];
            Level3.Gemm(Transpose.None, Transpose.Transposed, 1.0, view, view, 0.0, new MatrixView<double>(gram, otherRows, otherRows), BlasOptions.SingleThreaded);
            inner.PackColumnPanels(row, rowCount, column, columnCount, panelColumns, destination);
        }
    }
}
