using FsCheck;
using FsCheck.Fluent;

namespace Kernels.Testing;

/// <summary>
/// The FsCheck generators of the Sketching layer's cases (hash batches, sketch operators, hashed and sketched layers),
/// for FsCheck's <c>Arbitrary</c> registration (<c>[Property(Arbitrary = [typeof(SketchingGenerators)])]</c>); every generated type shrinks toward a small, plain case.
/// </summary>
public static class SketchingGenerators
{
    /// <summary>
    /// Batch hashing: every family, batch lengths biased to the 8-key vector boundaries, bucket counts from 1 through odd
    /// and power-of-two sizes to <see cref="int.MaxValue"/>. Shrinking shortens the batch and plainens the buckets.
    /// </summary>
    public static Arbitrary<HashCase> Hashes() =>
        Arb.From(HashGen(), ShrinkHash);

    private static Gen<HashCase> HashGen() =>
        from family in Gen.Elements(Enum.GetValues<HashFamily>())
        from length in Gen.Sized(s => Gen.Frequency(
            (3, Gen.Choose(0, Math.Min(s, 300))),
            (2, Gen.Elements(0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33))))
        from buckets in Gen.Frequency(
            (3, Gen.Choose(1, 1000)),
            (1, Gen.Elements(1, 2, 3, 64, 1 << 20, (1 << 30) + 7, int.MaxValue)))
        from seed in Gen.Choose(0, int.MaxValue)
        select new HashCase(family, length, buckets, seed);

    private static IEnumerable<HashCase> ShrinkHash(HashCase c)
    {
        if (c.Length > 0)
        {
            yield return c with { Length = c.Length / 2 };
            yield return c with { Length = c.Length - 1 };
        }
        if (c.Buckets > 2)
        {
            yield return c with { Buckets = 2 };
        }
    }

    /// <summary>
    /// Sketch operators: every kind, s up to 40, N up to 300 (powers of two and their neighbours often, for SRHT's
    /// padding), d up to 20, 1 to 5 nonzeros per column. Shrinking halves the sizes and plainens the kind.
    /// </summary>
    public static Arbitrary<SketchCase> Sketches() =>
        Arb.From(SketchGen(), ShrinkSketch);

    private static Gen<SketchCase> SketchGen() =>
        from kind in Gen.Elements(Enum.GetValues<SketchKind>())
        from rows in Gen.Choose(1, 40)
        from columns in Gen.Frequency(
            (3, Gen.Choose(1, 300)),
            (2, Gen.Elements(1, 2, 3, 15, 16, 17, 31, 32, 33, 63, 64, 65, 255, 256, 257)))
        from width in Gen.Choose(0, 20)
        from nonzeros in Gen.Choose(1, 5)
        from seed in Gen.Choose(0, int.MaxValue)
        select new SketchCase(kind, rows, columns, width, nonzeros, seed);

    private static IEnumerable<SketchCase> ShrinkSketch(SketchCase c)
    {
        if (c.Rows > 1) { yield return c with { Rows = c.Rows / 2 }; }
        if (c.Columns > 1) { yield return c with { Columns = c.Columns / 2 }; }
        if (c.Width > 1) { yield return c with { Width = c.Width / 2 }; }
        if (c.Nonzeros > 1) { yield return c with { Nonzeros = 1 }; }
        if (c.Kind != SketchKind.CountSketch) { yield return c with { Kind = SketchKind.CountSketch }; }
    }

    /// <summary>
    /// HashedNets layers: widths up to 70 (around the 12 × 32 Gemm tiles and the 256-key hash runs), buckets from 1 to
    /// inputs·outputs (often few, so that buckets are shared), batches from 0 to 20, every hash family, with and without
    /// sign hash and bias. Shrinking halves the widths and the batch and plainens the options.
    /// </summary>
    public static Arbitrary<HashedLinearCase> HashedLayers() =>
        Arb.From(HashedLayerGen(), ShrinkHashedLayer);

    private static Gen<HashedLinearCase> HashedLayerGen()
    {
        Gen<int> width = Gen.Frequency((3, Gen.Choose(1, 70)), (2, Gen.Elements(1, 2, 11, 12, 13, 31, 32, 33, 63, 64, 65)));
        return from inputs in width
               from outputs in width
               from buckets in Gen.Frequency(
                   (2, Gen.Choose(1, Math.Min(16, inputs * outputs))),
                   (3, Gen.Choose(1, inputs * outputs)))
               from batch in Gen.Frequency((1, Gen.Elements(0, 1)), (3, Gen.Choose(0, 20)))
               from signed in Gen.Elements(true, false)
               from bias in Gen.Elements(true, false)
               from family in Gen.Elements(Enum.GetValues<HashFamily>())
               from seed in Gen.Choose(0, int.MaxValue)
               select new HashedLinearCase(inputs, outputs, buckets, batch, signed, bias, family, seed);
    }

    private static IEnumerable<HashedLinearCase> ShrinkHashedLayer(HashedLinearCase c)
    {
        if (c.Inputs > 1) { yield return c with { Inputs = c.Inputs / 2, Buckets = Math.Min(c.Buckets, c.Inputs / 2 * c.Outputs) }; }
        if (c.Outputs > 1) { yield return c with { Outputs = c.Outputs / 2, Buckets = Math.Min(c.Buckets, c.Inputs * (c.Outputs / 2)) }; }
        if (c.Buckets > 1) { yield return c with { Buckets = c.Buckets / 2 }; }
        if (c.Batch > 1) { yield return c with { Batch = c.Batch / 2 }; }
        if (c.Bias) { yield return c with { Bias = false }; }
        if (c.Family != HashFamily.MultiplyShift) { yield return c with { Family = HashFamily.MultiplyShift }; }
    }

    /// <summary>
    /// Sketched layers: every sketch kind, s up to 24, inputs up to 80 (around powers of two for the SRHT), outputs up to
    /// 40, 1 to 4 nonzeros per column, batches from 0 to 12, with and without bias. Shrinking halves the sizes and
    /// plainens the kind.
    /// </summary>
    public static Arbitrary<SketchedLinearCase> SketchedLayers() =>
        Arb.From(SketchedLayerGen(), ShrinkSketchedLayer);

    private static Gen<SketchedLinearCase> SketchedLayerGen() =>
        from kind in Gen.Elements(Enum.GetValues<SketchKind>())
        from inputs in Gen.Frequency((3, Gen.Choose(1, 80)), (2, Gen.Elements(1, 2, 15, 16, 17, 31, 32, 33, 64)))
        from rows in Gen.Choose(1, 24)
        from outputs in Gen.Choose(1, 40)
        from nonzeros in Gen.Choose(1, 4)
        from batch in Gen.Frequency((1, Gen.Elements(0, 1)), (3, Gen.Choose(0, 12)))
        from bias in Gen.Elements(true, false)
        from seed in Gen.Choose(0, int.MaxValue)
        select new SketchedLinearCase(kind, rows, inputs, outputs, nonzeros, batch, bias, seed);

    private static IEnumerable<SketchedLinearCase> ShrinkSketchedLayer(SketchedLinearCase c)
    {
        if (c.SketchRows > 1) { yield return c with { SketchRows = c.SketchRows / 2 }; }
        if (c.Inputs > 1) { yield return c with { Inputs = c.Inputs / 2 }; }
        if (c.Outputs > 1) { yield return c with { Outputs = c.Outputs / 2 }; }
        if (c.Batch > 1) { yield return c with { Batch = c.Batch / 2 }; }
        if (c.Bias) { yield return c with { Bias = false }; }
        if (c.Kind != SketchKind.CountSketch) { yield return c with { Kind = SketchKind.CountSketch }; }
    }

    /// <summary>
    /// Points on the unit sphere: dimensions up to 300 (powers of two and their neighbours often), 2 to 12 points.
    /// Shrinking halves the dimension and drops points.
    /// </summary>
    public static Arbitrary<SphereCase> SpherePoints() =>
        Arb.From(SphereGen(), ShrinkSphere);

    private static Gen<SphereCase> SphereGen() =>
        from dimension in Gen.Frequency((3, Gen.Choose(1, 300)), (2, Gen.Elements(1, 2, 15, 16, 17, 63, 64, 65, 256)))
        from count in Gen.Choose(2, 12)
        from seed in Gen.Choose(0, int.MaxValue)
        select new SphereCase(dimension, count, seed);

    private static IEnumerable<SphereCase> ShrinkSphere(SphereCase c)
    {
        if (c.Dimension > 1) { yield return c with { Dimension = c.Dimension / 2 }; }
        if (c.Count > 2) { yield return c with { Count = c.Count - 1 }; }
    }
}
