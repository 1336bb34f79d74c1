using FsCheck;
using FsCheck.Fluent;
using Kernels.Blas;
using Kernels.Linalg;

namespace Kernels.Testing;

/// <summary>
/// The FsCheck generators of the Kernels layer's cases (vectors, fills, matrices, sparse, SPD, tall and triangular
/// matrices), for FsCheck's <c>Arbitrary</c> registration (<c>[Property(Arbitrary = [typeof(KernelGenerators)])]</c>).
/// Vector lengths are capped below <see cref="MaxLength"/>; every generated type shrinks toward a small, plain case.
/// </summary>
/// <remarks>The namespace is the kit's one namespace, whatever the folder, so that a test needs one
/// <c>using</c> for every case type.</remarks>
public static class KernelGenerators
{
    /// <summary>Cap on generated vector lengths (the FsCheck size parameter is clamped to it as well).</summary>
    public const int MaxLength = 700;

    /// <summary>Cap on the rows of a generated sparse matrix.</summary>
    public const int MaxSparseRows = 48;

    /// <summary>Cap on the columns of a generated sparse matrix: long enough rows to run the gathered loops several times.</summary>
    public const int MaxSparseCols = 300;

    /// <summary>Cap on the order of generated square matrices for factorizations: two levels of the recursive blocking (base 64).</summary>
    public const int MaxDenseOrder = 150;

    /// <summary>Orders that straddle the factorizations' block edges (the recursion base of 64, splits at multiples of 16, Gemm tiles).</summary>
    private static readonly int[] BlockEdgeOrders = [1, 2, 3, 8, 9, 15, 16, 17, 33, 63, 64, 65, 79, 80, 81, 127, 128, 129, 150];

    /// <summary>Vectors: lengths biased to vector-width boundaries, offsets 0..15, every value kind.</summary>
    public static Arbitrary<VectorCase> Vectors() =>
        Arb.From(VectorGen(), ShrinkVector);

    private static Gen<VectorCase> VectorGen() =>
        from length in Gen.Sized(s => Gen.Frequency(
            (3, Gen.Choose(0, Math.Min(s, MaxLength))),
            (2, Gen.Elements(0, 1, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257))))
        from offset in Gen.Choose(0, 15)
        from kind in Gen.Elements(Enum.GetValues<ValueKind>())
        from seed in Gen.Choose(0, int.MaxValue)
        select new VectorCase(length, offset, kind, seed);

    /// <summary>
    /// Splits of a counter-based fill: lengths biased to group boundaries (16, 32, 64 values), start indices near 0,
    /// near multiples of 64, anywhere, and up against the last index <see cref="long.MaxValue"/>, up to eight cuts, and arbitrary 64-bit seeds and streams.
    /// </summary>
    public static Arbitrary<FillSplit> FillSplits() =>
        Arb.From(FillSplitGen(), ShrinkFillSplit);

    private static Gen<FillSplit> FillSplitGen() =>
        from length in Gen.Sized(s => Gen.Frequency(
            (3, Gen.Choose(0, Math.Min(s, MaxLength))),
            (2, Gen.Elements(0, 1, 2, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 191, 192, 193, 300))))
        from cutCount in Gen.Choose(0, 8)
        from cuts in Gen.Choose(0, length).ArrayOf(cutCount)
        from start in Gen.Frequency(
            (3, Gen.Choose(0, 1000).Select(i => (long)i)),
            (2, Gen.Zip(Gen.Choose(0, 1 << 24), Gen.Choose(-3, 3)).Select(p => Math.Max(0, 64L * p.Item1 + p.Item2))),
            // The range ends i values short of the last index: start + length − 1 = long.MaxValue − i. An empty range
            // counts as one value long here, so that its start stays an index (long.MaxValue − length + 1 would be 2⁶³,
            // which wraps to long.MinValue).
            (1, Gen.Choose(0, 1000).Select(i => long.MaxValue - Math.Max(length, 1) + 1 - i)),
            (1, Word64().Select(w => (long)(w >> 2))))
        from seed in Word64()
        from stream in Gen.Frequency((1, Gen.Constant(0UL)), (3, Word64()))
        select new FillSplit(seed, stream, start, length, cuts);

    /// <summary>Any 64-bit word, from two 31-bit parts and a 2-bit part (Choose takes non-negative int ranges).</summary>
    private static Gen<ulong> Word64() =>
        from high in Gen.Choose(0, int.MaxValue)
        from middle in Gen.Choose(0, int.MaxValue)
        from low in Gen.Choose(0, 3)
        select ((ulong)high << 33) | ((ulong)middle << 2) | (uint)low;

    private static IEnumerable<FillSplit> ShrinkFillSplit(FillSplit c)
    {
        if (c.Length > 0)
        {
            yield return c with { Length = c.Length / 2, Cuts = c.Cuts.Select(x => Math.Min(x, c.Length / 2)).ToArray() };
            yield return c with { Length = c.Length - 1, Cuts = c.Cuts.Select(x => Math.Min(x, c.Length - 1)).ToArray() };
        }
        for (int i = 0; i < c.Cuts.Length; i++)
        {
            yield return c with { Cuts = c.Cuts.Take(i).Concat(c.Cuts.Skip(i + 1)).ToArray() };
        }
        if (c.Start != 0)
        {
            yield return c with { Start = 0 };
            yield return c with { Start = c.Start / 2 };
        }
        if (c.Seed != 0 || c.Stream != 0)
        {
            yield return c with { Seed = 0, Stream = 0 };
        }
    }

    private static IEnumerable<VectorCase> ShrinkVector(VectorCase c)
    {
        if (c.Length > 0)
        {
            yield return c with { Length = c.Length / 2 };
            yield return c with { Length = c.Length - 1 };
        }
        if (c.Offset > 0)
        {
            yield return c with { Offset = 0 };
        }
        if (c.Kind != ValueKind.SmallIntegers && c.Kind != ValueKind.Uniform)
        {
            yield return c with { Kind = ValueKind.Uniform };
        }
    }

    /// <summary>Matrix products: dimensions up to 70 (around the 12 × 32 microkernel tiles), stride padding 0..5, all transposes.</summary>
    public static Arbitrary<MatrixCase> Matrices() =>
        Arb.From(MatrixGen(), ShrinkMatrix);

    private static Gen<MatrixCase> MatrixGen()
    {
        Gen<int> dimension = Gen.Frequency(
            (3, Gen.Choose(0, 70)),
            (2, Gen.Elements(1, 4, 11, 12, 13, 15, 16, 17, 31, 32, 33, 47, 48, 49)));
        return from rows in dimension
               from cols in dimension
               from depth in dimension
               from extra in Gen.Choose(0, 5)
               from ta in Gen.Elements(Transpose.None, Transpose.Transposed)
               from tb in Gen.Elements(Transpose.None, Transpose.Transposed)
               from seed in Gen.Choose(0, int.MaxValue)
               select new MatrixCase(rows, cols, depth, extra, ta, tb, seed);
    }

    private static IEnumerable<MatrixCase> ShrinkMatrix(MatrixCase c)
    {
        if (c.Rows > 1) { yield return c with { Rows = c.Rows / 2 }; }
        if (c.Columns > 1) { yield return c with { Columns = c.Columns / 2 }; }
        if (c.Depth > 1) { yield return c with { Depth = c.Depth / 2 }; }
        if (c.ExtraStride > 0) { yield return c with { ExtraStride = 0 }; }
        if (c.TransA != Transpose.None) { yield return c with { TransA = Transpose.None }; }
        if (c.TransB != Transpose.None) { yield return c with { TransB = Transpose.None }; }
    }

    /// <summary>
    /// Sparse matrices: shapes up to <see cref="MaxSparseRows"/> × <see cref="MaxSparseCols"/> (column counts biased to
    /// vector-width boundaries), densities from empty through sparse to full, every value kind. Shrinking halves or
    /// trims the shape, thins the entries and plainens the values.
    /// </summary>
    public static Arbitrary<CsrCase> SparseMatrices() =>
        Arb.From(CsrGen(), ShrinkCsr);

    private static Gen<CsrCase> CsrGen() =>
        from rows in Gen.Sized(s => Gen.Choose(0, Math.Min(s, MaxSparseRows)))
        from cols in Gen.Sized(s => Gen.Frequency(
            (3, Gen.Choose(0, Math.Min(s, MaxSparseCols))),
            (2, Gen.Elements(1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 65, 129))))
        from density in Gen.Frequency(
            (1, Gen.Constant(0)),
            (4, Gen.Choose(1, 30)),
            (2, Gen.Choose(31, 100)))
        from kind in Gen.Elements(Enum.GetValues<ValueKind>())
        from seed in Gen.Choose(0, int.MaxValue)
        select new CsrCase(rows, cols, density, kind, seed);

    private static IEnumerable<CsrCase> ShrinkCsr(CsrCase c)
    {
        if (c.Rows > 0)
        {
            yield return c with { Rows = c.Rows / 2 };
            yield return c with { Rows = c.Rows - 1 };
        }
        if (c.Columns > 0)
        {
            yield return c with { Columns = c.Columns / 2 };
            yield return c with { Columns = c.Columns - 1 };
        }
        if (c.DensityPercent > 0)
        {
            yield return c with { DensityPercent = c.DensityPercent / 2 };
        }
        if (c.Kind != ValueKind.SmallIntegers && c.Kind != ValueKind.Uniform)
        {
            yield return c with { Kind = ValueKind.Uniform };
        }
    }

    /// <summary>
    /// Symmetric positive definite matrices: orders up to <see cref="MaxDenseOrder"/> (biased to block edges), condition
    /// numbers 10⁰ … 10¹⁰, stride padding 0..3. Shrinking halves or trims the order and lowers the condition number.
    /// </summary>
    public static Arbitrary<SpdCase> SpdMatrices() =>
        Arb.From(SpdGen(), ShrinkSpd);

    private static Gen<SpdCase> SpdGen() =>
        from order in Gen.Frequency((3, Gen.Choose(0, MaxDenseOrder)), (2, Gen.Elements(BlockEdgeOrders)))
        from logCondition in Gen.Choose(0, 10)
        from extra in Gen.Choose(0, 3)
        from seed in Gen.Choose(0, int.MaxValue)
        select new SpdCase(order, logCondition, extra, seed);

    private static IEnumerable<SpdCase> ShrinkSpd(SpdCase c)
    {
        if (c.Order > 0)
        {
            yield return c with { Order = c.Order / 2 };
            yield return c with { Order = c.Order - 1 };
        }
        if (c.LogCondition > 0) { yield return c with { LogCondition = c.LogCondition / 2 }; }
        if (c.ExtraStride > 0) { yield return c with { ExtraStride = 0 }; }
    }

    /// <summary>
    /// Tall matrices for QR: up to 100 columns (past one 64-column panel and its recursive halves) and up to 200
    /// extra rows, condition numbers 10⁰ … 10¹⁰. Shrinking halves the shape and lowers the condition number.
    /// </summary>
    public static Arbitrary<TallCase> TallMatrices() =>
        Arb.From(TallGen(), ShrinkTall);

    private static Gen<TallCase> TallGen() =>
        from cols in Gen.Frequency((3, Gen.Choose(0, 100)), (2, Gen.Elements(1, 2, 7, 8, 9, 16, 31, 32, 33, 63, 64, 65, 97)))
        from extraRows in Gen.Frequency((1, Gen.Constant(0)), (1, Gen.Choose(1, 8)), (3, Gen.Choose(0, 200)))
        from logCondition in Gen.Choose(0, 10)
        from seed in Gen.Choose(0, int.MaxValue)
        select new TallCase(cols + extraRows, cols, logCondition, seed);

    private static IEnumerable<TallCase> ShrinkTall(TallCase c)
    {
        if (c.Columns > 0)
        {
            yield return c with { Columns = c.Columns / 2, Rows = c.Rows - (c.Columns - c.Columns / 2) };
        }
        if (c.Rows > c.Columns)
        {
            yield return c with { Rows = c.Columns + (c.Rows - c.Columns) / 2 };
        }
        if (c.LogCondition > 0) { yield return c with { LogCondition = c.LogCondition / 2 }; }
    }

    /// <summary>
    /// Triangular solves: every side, triangle, transpose and diagonal kind, orders up to <see cref="MaxDenseOrder"/>
    /// (biased to block edges), up to 40 right-hand sides, stride padding 0..3. Shrinking halves the sizes and
    /// plainens the flags.
    /// </summary>
    public static Arbitrary<TriangularCase> Triangles() =>
        Arb.From(TriangularGen(), ShrinkTriangular);

    private static Gen<TriangularCase> TriangularGen() =>
        from order in Gen.Frequency((3, Gen.Choose(0, MaxDenseOrder)), (2, Gen.Elements(BlockEdgeOrders)))
        from count in Gen.Frequency((1, Gen.Elements(0, 1, 2)), (3, Gen.Choose(0, 40)))
        from side in Gen.Elements(Side.Left, Side.Right)
        from triangle in Gen.Elements(Triangle.Lower, Triangle.Upper)
        from transpose in Gen.Elements(Transpose.None, Transpose.Transposed)
        from diagonal in Gen.Elements(Diagonal.NonUnit, Diagonal.Unit)
        from extra in Gen.Choose(0, 3)
        from seed in Gen.Choose(0, int.MaxValue)
        select new TriangularCase(order, count, side, triangle, transpose, diagonal, extra, seed);

    private static IEnumerable<TriangularCase> ShrinkTriangular(TriangularCase c)
    {
        if (c.Order > 0) { yield return c with { Order = c.Order / 2 }; }
        if (c.Count > 0) { yield return c with { Count = c.Count / 2 }; }
        if (c.ExtraStride > 0) { yield return c with { ExtraStride = 0 }; }
        if (c.Transpose != Transpose.None) { yield return c with { Transpose = Transpose.None }; }
        if (c.Diagonal != Diagonal.NonUnit) { yield return c with { Diagonal = Diagonal.NonUnit }; }
        if (c.Side != Side.Left) { yield return c with { Side = Side.Left }; }
    }

    /// <summary>
    /// Rank-deficient matrices: shapes up to 60 × 60, rank from 0 to min(m, n) (often one short of full), condition
    /// numbers of the nonzero part 10⁰ … 10⁸. Shrinking halves the shape and the rank and lowers the condition number.
    /// </summary>
    public static Arbitrary<RankDeficientCase> RankDeficientMatrices() =>
        Arb.From(RankDeficientGen(), ShrinkRankDeficient);

    private static Gen<RankDeficientCase> RankDeficientGen() =>
        from rows in Gen.Choose(1, 60)
        from cols in Gen.Choose(1, 60)
        from rank in Gen.Frequency((2, Gen.Constant(Math.Min(rows, cols) - 1)), (3, Gen.Choose(0, Math.Min(rows, cols))))
        from logCondition in Gen.Choose(0, 8)
        from seed in Gen.Choose(0, int.MaxValue)
        select new RankDeficientCase(rows, cols, rank, logCondition, seed);

    private static IEnumerable<RankDeficientCase> ShrinkRankDeficient(RankDeficientCase c)
    {
        if (c.Rows > 1) { yield return c with { Rows = c.Rows / 2, Rank = Math.Min(c.Rank, c.Rows / 2) }; }
        if (c.Columns > 1) { yield return c with { Columns = c.Columns / 2, Rank = Math.Min(c.Rank, c.Columns / 2) }; }
        if (c.Rank > 0) { yield return c with { Rank = c.Rank / 2 }; }
        if (c.LogCondition > 0) { yield return c with { LogCondition = c.LogCondition / 2 }; }
    }
}
