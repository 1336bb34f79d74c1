using Kernels.Blas;
using Kernels.Randomness;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Blas;

/// <summary>Gemm's loop nest: the depth blocks it packs, and rows of C that do not depend on the tile that computes them.</summary>
public sealed class GemmDriverTests
{
    [Fact]
    public void Depth_blocks_are_equal_near_the_block_size_and_cover_k()
    {
        Assert.Equal(2, GemmDriver.DepthBlocks(784, 384)); // 2 × 392, not 384 + 384 + 16
        Assert.Equal(2, GemmDriver.DepthBlocks(500, 384)); // 2 × 250, not 384 + 116
        Assert.Equal(1, GemmDriver.DepthBlocks(384, 384));
        Assert.Equal(5, GemmDriver.DepthBlocks(5, 1));
        foreach (int depthBlock in new[] { 1, 2, 7, 8, 64, 256, 384 })
        {
            for (int k = 1; k <= 2000; k++)
            {
                // Block i is [i·k/blocks, (i+1)·k/blocks): lengths ⌊k/blocks⌋ or ⌈k/blocks⌉, so only the longest is checked.
                int blocks = GemmDriver.DepthBlocks(k, depthBlock);
                int plain = (k + depthBlock - 1) / depthBlock;
                int longest = (k + blocks - 1) / blocks;
                Assert.True(blocks == plain || blocks == plain - 1, $"k = {k}, KC = {depthBlock}: {blocks} blocks against {plain}");
                Assert.True(8L * longest <= 9L * depthBlock + 8, $"k = {k}, KC = {depthBlock}: a block of {longest} exceeds KC·9/8");
            }
        }
    }

    [Theory]
    [InlineData(50, 1000, 784)] // the MLP's forward product: rows 48 and 49 in a 4-row tile, the last 8 columns in a one-vector tile
    [InlineData(1000, 784, 50)] // its weight gradient: the last 4 rows in a 4-row tile, the last 16 columns in a one-vector tile
    [InlineData(50, 10, 1000)]  // its output layer: 10 classes in one vector
    [InlineData(19, 70, 33)]    // 12 + 7: an 8-row tile beside a column edge
    public void A_row_of_C_has_the_same_bits_whatever_rows_are_computed_beside_it(int m, int n, int k)
    {
        // The same m rows computed alone (edge tiles of 4 or 8 rows, one vector wide at the column edge) and as the top
        // of a product of m + 12 rows (whole 12-row tiles), on one thread and on two, with the bias-and-ReLU store: every
        // bit the same. (On the 256-bit, 128-bit and scalar paths the tiles differ, and the claim is the same.)
        int extra = m + 12;
        var a = new float[extra * k];
        var b = new float[n * k];
        var bias = new float[n];
        new CounterRandom(11, 0).FillUniform<float>(a, -1f, 1f);
        new CounterRandom(11, 1).FillUniform<float>(b, -1f, 1f);
        new CounterRandom(11, 2).FillUniform<float>(bias, -1f, 1f);
        var tall = new float[extra * n];
        Level3.GemmBiasActivation(Transpose.None, Transpose.Transposed, 1f, new ReadOnlyMatrixView<float>(a, extra, k), new ReadOnlyMatrixView<float>(b, n, k),
            0f, new MatrixView<float>(tall, extra, n), bias, GemmActivation.Relu, 0f, BlasOptions.SingleThreaded);
        foreach (var options in new[] { BlasOptions.SingleThreaded, new BlasOptions { MaxThreads = 2, ParallelThreshold = 0 } })
        {
            var c = new float[m * n];
            Level3.GemmBiasActivation(Transpose.None, Transpose.Transposed, 1f, new ReadOnlyMatrixView<float>(a.AsSpan(0, m * k), m, k), new ReadOnlyMatrixView<float>(b, n, k),
                0f, new MatrixView<float>(c, m, n), bias, GemmActivation.Relu, 0f, options);
            for (int i = 0; i < m * n; i++)
            {
                Tolerance.AssertIdentical(tall[i], c[i], $"C[{i / n}, {i % n}] of {m}×{n}×{k}, {options.MaxThreads} threads");
            }
        }
    }
}
