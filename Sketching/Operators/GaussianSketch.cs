using System.Buffers;
using System.Numerics;
using Kernels.Blas;
using Kernels.Randomness;
using Kernels.Sparse;

namespace Kernels.Sketching.Operators;

/// <summary>
/// A sampled dense Gaussian sketch: S[i, j] is value i·N + j of the normal sequence of
/// <c>CounterRandom(CounterRandom.Derive(seed, Purpose("gaussian")), 0)</c> (the README's seed rule), with
/// mean 0 and standard deviation 1/√s (<see cref="CounterRandom.FillNormal{T}(Span{T}, T, T, long)"/>). S is never
/// stored: S·A runs through <see cref="Level3.Gemm{T, TA, TB}(T, TA, TB, T, MatrixView{T}, BlasOptions?)"/> with S as
/// a panel source that generates its panels while packing.
/// </summary>
/// <remarks>
/// <para>Costs: S·A is a Gemm (2·s·N·d flops) plus s·N normals per depth block of the product; a sparse A costs
/// s·nnz(A) multiply-adds plus s·N normals (one row of S at a time); S·x and Sᵀ·y regenerate S row by row.</para>
/// <para><b>Determinism.</b> Gemm sums each element over k in fixed depth blocks, for any thread count. See
/// <see cref="ISketch{T}"/>.</para>
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class GaussianSketch<T> : SketchOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int Segment = 256;

    /// <summary>The purpose the operator derives its seed with (<see cref="CounterRandom.Derive"/>).</summary>
    internal static readonly ulong SeedPurpose = CounterRandom.Purpose("gaussian");

    private readonly CounterRandom _random;
    private readonly T _deviation;

    internal GaussianSketch(GaussianDistribution distribution, ulong seed) : base(distribution.Rows, distribution.Columns, seed)
    {
        Distribution = distribution;
        _random = new CounterRandom(CounterRandom.Derive(seed, SeedPurpose), 0);
        _deviation = T.One / T.Sqrt(T.CreateChecked(distribution.Rows));
    }

    /// <summary>The distribution this operator was drawn from.</summary>
    public GaussianDistribution Distribution { get; }

    private GaussianPanels<T> Panels(int firstColumn, int columns, bool transposed) =>
        new(_random, _deviation, Rows, Columns, firstColumn, columns, transposed);

    private protected override void ApplyVector(ReadOnlySpan<T> x, Span<T> destination)
    {
        Span<T> segment = stackalloc T[Segment];
        GaussianPanels<T> s = Panels(0, Columns, false);
        for (int i = 0; i < Rows; i++)
        {
            T sum = T.Zero;
            for (int j0 = 0; j0 < Columns; j0 += Segment)
            {
                int n = Math.Min(Segment, Columns - j0);
                s.FillRow(i, j0, segment[..n]);
                sum += Level1.Dot<T>(segment[..n], x.Slice(j0, n));
            }
            destination[i] = sum;
        }
    }

    private protected override unsafe void ApplyDense(ReadOnlyMatrixView<T> a, MatrixView<T> destination, BlasOptions options)
    {
        fixed (T* pa = a.Data)
        {
            var operand = new PinnedMatrixSource<T>(pa, a.Data.Length, a.Rows, a.Columns, a.Stride, Transpose.None);
            Level3.Gemm(T.One, Panels(0, Columns, false), operand, T.Zero, destination, options);
        }
    }

    private protected override void ApplySparse(CsrMatrix<T> a, MatrixView<T> destination)
    {
        T[] buffer = ArrayPool<T>.Shared.Rent(Columns);
        try
        {
            Span<T> row = buffer.AsSpan(0, Columns);
            GaussianPanels<T> s = Panels(0, Columns, false);
            for (int i = 0; i < Rows; i++)
            {
                s.FillRow(i, 0, row);
                SparseBlas.SpMVTranspose(T.One, a, row, T.Zero, destination.Row(i));
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(buffer);
        }
    }

    private protected override void ApplyTransposeVector(ReadOnlySpan<T> y, Span<T> destination)
    {
        destination.Clear();
        Span<T> segment = stackalloc T[Segment];
        GaussianPanels<T> s = Panels(0, Columns, false);
        for (int i = 0; i < Rows; i++)
        {
            for (int j0 = 0; j0 < Columns; j0 += Segment)
            {
                int n = Math.Min(Segment, Columns - j0);
                s.FillRow(i, j0, segment[..n]);
                Level1.Axpy(y[i], segment[..n], destination.Slice(j0, n));
            }
        }
    }

    private protected override unsafe void ApplyTransposeDense(ReadOnlyMatrixView<T> y, MatrixView<T> destination)
    {
        fixed (T* py = y.Data)
        {
            var operand = new PinnedMatrixSource<T>(py, y.Data.Length, y.Rows, y.Columns, y.Stride, Transpose.None);
            Level3.Gemm(T.One, Panels(0, Columns, true), operand, T.Zero, destination, BlasOptions.Default);
        }
    }

    private protected override void WriteRows(int firstRow, MatrixView<T> destination)
    {
        GaussianPanels<T> s = Panels(0, Columns, false);
        for (int i = 0; i < destination.Rows; i++)
        {
            s.FillRow(firstRow + i, 0, destination.Row(i));
        }
    }
}
