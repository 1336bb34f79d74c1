using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Kernels.Simd;

namespace Kernels.Randomness;

// The block transforms behind CounterRandom's fill methods. Row j of a block goes to lane + Row·j (see IBlockTransform).

/// <summary>The raw words: row j is word j.</summary>
internal readonly struct WordTransform : IBlockTransform<uint>
{
    private const int Row = GroupDriver.BlocksPerGroup;

    public int ValuesPerBlock => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(uint w0, uint w1, uint w2, uint w3, ref uint lane)
    {
        lane = w0;
        Unsafe.Add(ref lane, Row) = w1;
        Unsafe.Add(ref lane, 2 * Row) = w2;
        Unsafe.Add(ref lane, 3 * Row) = w3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Vector256<uint> w0, Vector256<uint> w1, Vector256<uint> w2, Vector256<uint> w3, ref uint lanes)
    {
        w0.StoreUnsafe(ref lanes, 0);
        w1.StoreUnsafe(ref lanes, Row);
        w2.StoreUnsafe(ref lanes, 2 * Row);
        w3.StoreUnsafe(ref lanes, 3 * Row);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Vector512<uint> w0, Vector512<uint> w1, Vector512<uint> w2, Vector512<uint> w3, ref uint lanes)
    {
        w0.StoreUnsafe(ref lanes, 0);
        w1.StoreUnsafe(ref lanes, Row);
        w2.StoreUnsafe(ref lanes, 2 * Row);
        w3.StoreUnsafe(ref lanes, 3 * Row);
    }
}

/// <summary>
/// Floats uniform on [low, high): row j is low + width·u(word j), with u from <see cref="UnitInterval.ToSingle(uint)"/>,
/// clamped to <paramref name="highest"/> (the float just below high) in case rounding reached high.
/// </summary>
internal readonly struct UniformSingleTransform(float low, float width, float highest) : IBlockTransform<float>
{
    private const int Row = GroupDriver.BlocksPerGroup;

    public int ValuesPerBlock => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(uint w0, uint w1, uint w2, uint w3, ref float lane)
    {
        lane = Scale(UnitInterval.ToSingle(w0));
        Unsafe.Add(ref lane, Row) = Scale(UnitInterval.ToSingle(w1));
        Unsafe.Add(ref lane, 2 * Row) = Scale(UnitInterval.ToSingle(w2));
        Unsafe.Add(ref lane, 3 * Row) = Scale(UnitInterval.ToSingle(w3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Vector256<uint> w0, Vector256<uint> w1, Vector256<uint> w2, Vector256<uint> w3, ref float lanes)
    {
        Scale(UnitInterval.ToSingle(w0)).StoreUnsafe(ref lanes, 0);
        Scale(UnitInterval.ToSingle(w1)).StoreUnsafe(ref lanes, Row);
        Scale(UnitInterval.ToSingle(w2)).StoreUnsafe(ref lanes, 2 * Row);
        Scale(UnitInterval.ToSingle(w3)).StoreUnsafe(ref lanes, 3 * Row);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Vector512<uint> w0, Vector512<uint> w1, Vector512<uint> w2, Vector512<uint> w3, ref float lanes)
    {
        Scale(UnitInterval.ToSingle(w0)).StoreUnsafe(ref lanes, 0);
        Scale(UnitInterval.ToSingle(w1)).StoreUnsafe(ref lanes, Row);
        Scale(UnitInterval.ToSingle(w2)).StoreUnsafe(ref lanes, 2 * Row);
        Scale(UnitInterval.ToSingle(w3)).StoreUnsafe(ref lanes, 3 * Row);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private float Scale(float u)
    {
        float v = Unfused.MultiplyAdd(u, width, low);
        return v > highest ? highest : v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector256<float> Scale(Vector256<float> u)
    {
        Vector256<float> v = Unfused.MultiplyAdd(u, Vector256.Create(width), Vector256.Create(low));
        Vector256<float> top = Vector256.Create(highest);
        return Vector256.ConditionalSelect(Vector256.GreaterThan(v, top), top, v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector512<float> Scale(Vector512<float> u)
    {
        Vector512<float> v = Unfused.MultiplyAdd(u, Vector512.Create(width), Vector512.Create(low));
        Vector512<float> top = Vector512.Create(highest);
        return Vector512.ConditionalSelect(Vector512.GreaterThan(v, top), top, v);
    }
}

/// <summary>
/// Doubles uniform on [low, high): row j is low + width·u(words 2j, 2j + 1), with u from
/// <see cref="UnitInterval.ToDouble(uint, uint)"/>, clamped to <paramref name="highest"/> (the double just below high).
/// </summary>
internal readonly struct UniformDoubleTransform(double low, double width, double highest) : IBlockTransform<double>
{
    private const int Row = GroupDriver.BlocksPerGroup;

    public int ValuesPerBlock => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(uint w0, uint w1, uint w2, uint w3, ref double lane)
    {
        lane = Scale(UnitInterval.ToDouble(w0, w1));
        Unsafe.Add(ref lane, Row) = Scale(UnitInterval.ToDouble(w2, w3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Vector256<uint> w0, Vector256<uint> w1, Vector256<uint> w2, Vector256<uint> w3, ref double lanes)
    {
        int half = Vector256<double>.Count;
        var (row0Lower, row0Upper) = UnitInterval.ToDouble(w0, w1);
        var (row1Lower, row1Upper) = UnitInterval.ToDouble(w2, w3);
        Scale(row0Lower).StoreUnsafe(ref lanes, 0);
        Scale(row0Upper).StoreUnsafe(ref lanes, (nuint)half);
        Scale(row1Lower).StoreUnsafe(ref lanes, Row);
        Scale(row1Upper).StoreUnsafe(ref lanes, (nuint)(Row + half));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Vector512<uint> w0, Vector512<uint> w1, Vector512<uint> w2, Vector512<uint> w3, ref double lanes)
    {
        int half = Vector512<double>.Count;
        var (row0Lower, row0Upper) = UnitInterval.ToDouble(w0, w1);
        var (row1Lower, row1Upper) = UnitInterval.ToDouble(w2, w3);
        Scale(row0Lower).StoreUnsafe(ref lanes, 0);
        Scale(row0Upper).StoreUnsafe(ref lanes, (nuint)half);
        Scale(row1Lower).StoreUnsafe(ref lanes, Row);
        Scale(row1Upper).StoreUnsafe(ref lanes, (nuint)(Row + half));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double Scale(double u)
    {
        double v = Unfused.MultiplyAdd(u, width, low);
        return v > highest ? highest : v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector256<double> Scale(Vector256<double> u)
    {
        Vector256<double> v = Unfused.MultiplyAdd(u, Vector256.Create(width), Vector256.Create(low));
        Vector256<double> top = Vector256.Create(highest);
        return Vector256.ConditionalSelect(Vector256.GreaterThan(v, top), top, v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector512<double> Scale(Vector512<double> u)
    {
        Vector512<double> v = Unfused.MultiplyAdd(u, Vector512.Create(width), Vector512.Create(low));
        Vector512<double> top = Vector512.Create(highest);
        return Vector512.ConditionalSelect(Vector512.GreaterThan(v, top), top, v);
    }
}

/// <summary>
/// Normal floats: words (0, 1) and (2, 3) each make a Box–Muller pair, with u₁ = u(first word) + 2⁻²⁴ in (0, 1] and
/// u₂ = u(second word); rows 0 and 2 are the cosine normals, rows 1 and 3 the sine normals, each mean + sd·z.
/// </summary>
internal readonly struct NormalSingleTransform(float mean, float standardDeviation) : IBlockTransform<float>
{
    private const int Row = GroupDriver.BlocksPerGroup;

    public int ValuesPerBlock => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(uint w0, uint w1, uint w2, uint w3, ref float lane)
    {
        var (cosine0, sine0) = BoxMuller.Transform(UnitInterval.ToSingle(w0) + UnitInterval.SingleStep, UnitInterval.ToSingle(w1));
        var (cosine1, sine1) = BoxMuller.Transform(UnitInterval.ToSingle(w2) + UnitInterval.SingleStep, UnitInterval.ToSingle(w3));
        lane = Shift(cosine0);
        Unsafe.Add(ref lane, Row) = Shift(sine0);
        Unsafe.Add(ref lane, 2 * Row) = Shift(cosine1);
        Unsafe.Add(ref lane, 3 * Row) = Shift(sine1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Vector256<uint> w0, Vector256<uint> w1, Vector256<uint> w2, Vector256<uint> w3, ref float lanes)
    {
        Vector256<float> step = Vector256.Create(UnitInterval.SingleStep);
        var (cosine0, sine0) = BoxMuller.Transform(UnitInterval.ToSingle(w0) + step, UnitInterval.ToSingle(w1));
        var (cosine1, sine1) = BoxMuller.Transform(UnitInterval.ToSingle(w2) + step, UnitInterval.ToSingle(w3));
        Shift(cosine0).StoreUnsafe(ref lanes, 0);
        Shift(sine0).StoreUnsafe(ref lanes, Row);
        Shift(cosine1).StoreUnsafe(ref lanes, 2 * Row);
        Shift(sine1).StoreUnsafe(ref lanes, 3 * Row);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Vector512<uint> w0, Vector512<uint> w1, Vector512<uint> w2, Vector512<uint> w3, ref float lanes)
    {
        Vector512<float> step = Vector512.Create(UnitInterval.SingleStep);
        var (cosine0, sine0) = BoxMuller.Transform(UnitInterval.ToSingle(w0) + step, UnitInterval.ToSingle(w1));
        var (cosine1, sine1) = BoxMuller.Transform(UnitInterval.ToSingle(w2) + step, UnitInterval.ToSingle(w3));
        Shift(cosine0).StoreUnsafe(ref lanes, 0);
        Shift(sine0).StoreUnsafe(ref lanes, Row);
        Shift(cosine1).StoreUnsafe(ref lanes, 2 * Row);
        Shift(sine1).StoreUnsafe(ref lanes, 3 * Row);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private float Shift(float z) => Unfused.MultiplyAdd(z, standardDeviation, mean);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector256<float> Shift(Vector256<float> z) => Unfused.MultiplyAdd(z, Vector256.Create(standardDeviation), Vector256.Create(mean));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector512<float> Shift(Vector512<float> z) => Unfused.MultiplyAdd(z, Vector512.Create(standardDeviation), Vector512.Create(mean));
}

/// <summary>
/// Normal doubles: one Box–Muller pair per block, with u₁ = u(words 0, 1) + 2⁻⁵³ in (0, 1] and u₂ = u(words 2, 3);
/// row 0 is the cosine normal, row 1 the sine normal, each mean + sd·z.
/// </summary>
internal readonly struct NormalDoubleTransform(double mean, double standardDeviation) : IBlockTransform<double>
{
    private const int Row = GroupDriver.BlocksPerGroup;

    public int ValuesPerBlock => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(uint w0, uint w1, uint w2, uint w3, ref double lane)
    {
        var (cosine, sine) = BoxMuller.Transform(UnitInterval.ToDouble(w0, w1) + UnitInterval.DoubleStep, UnitInterval.ToDouble(w2, w3));
        lane = Shift(cosine);
        Unsafe.Add(ref lane, Row) = Shift(sine);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Vector256<uint> w0, Vector256<uint> w1, Vector256<uint> w2, Vector256<uint> w3, ref double lanes)
    {
        int half = Vector256<double>.Count;
        Vector256<double> step = Vector256.Create(UnitInterval.DoubleStep);
        var (u1Lower, u1Upper) = UnitInterval.ToDouble(w0, w1);
        var (u2Lower, u2Upper) = UnitInterval.ToDouble(w2, w3);
        var (cosineLower, sineLower) = BoxMuller.Transform(u1Lower + step, u2Lower);
        var (cosineUpper, sineUpper) = BoxMuller.Transform(u1Upper + step, u2Upper);
        Shift(cosineLower).StoreUnsafe(ref lanes, 0);
        Shift(cosineUpper).StoreUnsafe(ref lanes, (nuint)half);
        Shift(sineLower).StoreUnsafe(ref lanes, Row);
        Shift(sineUpper).StoreUnsafe(ref lanes, (nuint)(Row + half));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Vector512<uint> w0, Vector512<uint> w1, Vector512<uint> w2, Vector512<uint> w3, ref double lanes)
    {
        int half = Vector512<double>.Count;
        Vector512<double> step = Vector512.Create(UnitInterval.DoubleStep);
        var (u1Lower, u1Upper) = UnitInterval.ToDouble(w0, w1);
        var (u2Lower, u2Upper) = UnitInterval.ToDouble(w2, w3);
        var (cosineLower, sineLower) = BoxMuller.Transform(u1Lower + step, u2Lower);
        var (cosineUpper, sineUpper) = BoxMuller.Transform(u1Upper + step, u2Upper);
        Shift(cosineLower).StoreUnsafe(ref lanes, 0);
        Shift(cosineUpper).StoreUnsafe(ref lanes, (nuint)half);
        Shift(sineLower).StoreUnsafe(ref lanes, Row);
        Shift(sineUpper).StoreUnsafe(ref lanes, (nuint)(Row + half));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double Shift(double z) => Unfused.MultiplyAdd(z, standardDeviation, mean);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector256<double> Shift(Vector256<double> z) => Unfused.MultiplyAdd(z, Vector256.Create(standardDeviation), Vector256.Create(mean));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector512<double> Shift(Vector512<double> z) => Unfused.MultiplyAdd(z, Vector512.Create(standardDeviation), Vector512.Create(mean));
}
