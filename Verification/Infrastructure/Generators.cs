using FsCheck;
using FsCheck.Fluent;

namespace Kernels.Verification.Infrastructure;

/// <summary>
/// All FsCheck generators of the suite, registered through <see cref="KernelPropertyAttribute"/>.
/// Sizes are capped by <see cref="MaxSize"/>; every generated type shrinks toward a small, plain case.
/// </summary>
public static class Generators
{
    /// <summary>Cap on the FsCheck size parameter, and so on generated vector lengths.</summary>
    public const int MaxSize = 700;

    /// <summary>Cap on the rows of a generated sparse matrix.</summary>
    public const int MaxSparseRows = 48;

    /// <summary>Cap on the columns of a generated sparse matrix: long enough rows to run the gathered loops several times.</summary>
    public const int MaxSparseCols = 300;

    /// <summary>Vectors: lengths biased to vector-width boundaries, offsets 0..15, every value kind.</summary>
    public static Arbitrary<VectorCase> Vectors() =>
        Arb.From(VectorGen(), ShrinkVector);

    private static Gen<VectorCase> VectorGen() =>
        from length in Gen.Sized(s => Gen.Frequency(
            (3, Gen.Choose(0, Math.Min(s, MaxSize))),
            (2, Gen.Elements(0, 1, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257))))
        from offset in Gen.Choose(0, 15)
        from kind in Gen.Elements(Enum.GetValues<ValueKind>())
        from seed in Gen.Choose(0, int.MaxValue)
        select new VectorCase(length, offset, kind, seed);

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
        if (c.Cols > 0)
        {
            yield return c with { Cols = c.Cols / 2 };
            yield return c with { Cols = c.Cols - 1 };
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
}
