using Kernels.Blas;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Blas;

/// <summary>The pinned-pointer Gemm operand: the same product as the span entry point, and a validated shape.</summary>
public sealed unsafe class PinnedMatrixSourceTests
{
    [Fact]
    public void A_product_of_pinned_sources_equals_the_span_product()
    {
        const int M = 13, K = 21, N = 17;
        float[] a = SampleData.Matrix<float>(K, M + 2, 1), b = SampleData.Matrix<float>(K, N, 2);
        float[] expected = new float[M * N], actual = new float[M * N];
        // op(A) = Aᵀ of a stored K × M block with stride M + 2.
        Level3.Gemm(Transpose.Transposed, Transpose.None, 1f, new ReadOnlyMatrixView<float>(a, K, M, M + 2), new ReadOnlyMatrixView<float>(b, K, N),
            0f, new MatrixView<float>(expected, M, N), BlasOptions.SingleThreaded);
        fixed (float* pa = a)
        fixed (float* pb = b)
        {
            var sa = new PinnedMatrixSource<float>(pa, a.Length, K, M, M + 2, Transpose.Transposed);
            var sb = new PinnedMatrixSource<float>(pb, b.Length, K, N, N);
            Assert.Equal((M, K), (sa.Rows, sa.Columns));
            Level3.Gemm(1f, sa, sb, 0f, new MatrixView<float>(actual, M, N), BlasOptions.SingleThreaded);
        }
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Bad_shapes_throw_naming_the_argument()
    {
        float[] a = new float[10];
        fixed (float* p = a)
        {
            float* origin = p;
            Assert.Equal("length", Assert.Throws<ArgumentException>(() => new PinnedMatrixSource<float>(origin, 10, 3, 4, 4)).ParamName);
            Assert.Equal("stride", Assert.Throws<ArgumentOutOfRangeException>(() => new PinnedMatrixSource<float>(origin, 10, 2, 4, 3)).ParamName);
            Assert.Equal("transpose", Assert.Throws<ArgumentOutOfRangeException>(() => new PinnedMatrixSource<float>(origin, 10, 2, 4, 4, (Transpose)2)).ParamName);
        }
        Assert.Equal("origin", Assert.Throws<ArgumentNullException>(() => new PinnedMatrixSource<float>(null, 10, 2, 4, 4)).ParamName);
        Assert.Equal(0, new PinnedMatrixSource<float>(null, 0, 0, 4, 4).Rows);
    }
}
