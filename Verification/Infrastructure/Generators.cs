using FsCheck;
using FsCheck.Fluent;
using Kernels.Blas;

namespace Kernels.Verification.Infrastructure;

/// <summary>
/// All FsCheck generators of the suite, registered through <see cref="KernelPropertyAttribute"/>.
/// Sizes are capped by <see cref="MaxSize"/>; every generated type shrinks toward a small, plain case.
/// </summary>
public static class Generators
{
    /// <summary>Cap on the FsCheck size parameter, and so on generated vector lengths.</summary>
    public const int MaxSize = 700;

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
        if (c.Cols > 1) { yield return c with { Cols = c.Cols / 2 }; }
        if (c.Depth > 1) { yield return c with { Depth = c.Depth / 2 }; }
        if (c.ExtraStride > 0) { yield return c with { ExtraStride = 0 }; }
        if (c.TransA != Transpose.None) { yield return c with { TransA = Transpose.None }; }
        if (c.TransB != Transpose.None) { yield return c with { TransB = Transpose.None }; }
    }
}
