using System.Numerics;
using System.Runtime.Intrinsics;
using Kernels.Simd;

namespace Kernels.Verification.Kernels.Simd;

/// <summary>
/// The library's <see cref="ILanePredicate{T}"/>s: each vector form agrees lane by lane with the scalar form (on
/// values that include NaN, ±0, ±∞ and ties), and a NaN argument is rejected naming it.
/// </summary>
public sealed class LanePredicatesTests
{
    [Fact]
    public void Vector_forms_agree_with_the_scalar_form_lane_by_lane()
    {
        CheckAll<float>();
        CheckAll<double>();
    }

    [Fact]
    public void A_NaN_argument_is_rejected_naming_it()
    {
        Assert.Equal("threshold", Assert.Throws<ArgumentOutOfRangeException>(() => new GreaterOrEqualPredicate<float>(float.NaN)).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentOutOfRangeException>(() => new EqualPredicate<double>(double.NaN)).ParamName);
    }

    private static void CheckAll<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] specials = [T.NaN, T.Zero, T.NegativeZero, T.One, -T.One, T.PositiveInfinity, T.NegativeInfinity, T.Epsilon, T.CreateChecked(0.5)];
        T[] values = Enumerable.Range(0, 64).Select(i => specials[i * 7 % specials.Length]).ToArray();
        foreach (T argument in specials.Where(s => !T.IsNaN(s)))
        {
            Check(values, new GreaterOrEqualPredicate<T>(argument), x => x >= argument);
            Check(values, new EqualPredicate<T>(argument), x => x == argument);
        }
        Check(values, default(NaNPredicate<T>), T.IsNaN);
    }

    private static void Check<T, TPredicate>(T[] values, TPredicate predicate, Func<T, bool> reference)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPredicate : struct, ILanePredicate<T>
    {
        for (int start = 0; start + Vector512<T>.Count <= values.Length; start++)
        {
            ReadOnlySpan<T> span = values.AsSpan(start);
            ulong mask128 = predicate.Test(Vector128.Create(span)).ExtractMostSignificantBits();
            ulong mask256 = predicate.Test(Vector256.Create(span)).ExtractMostSignificantBits();
            ulong mask512 = predicate.Test(Vector512.Create(span)).ExtractMostSignificantBits();
            for (int j = 0; j < Vector512<T>.Count; j++)
            {
                bool expected = reference(span[j]);
                string context = $"{typeof(T).Name} lane {j} of x = {span[j]}";
                Assert.True(expected == predicate.Test(span[j]), $"scalar, {context}");
                Assert.True(expected == ((mask512 >> j & 1) != 0), $"512-bit, {context}");
                if (j < Vector256<T>.Count)
                {
                    Assert.True(expected == ((mask256 >> j & 1) != 0), $"256-bit, {context}");
                }
                if (j < Vector128<T>.Count)
                {
                    Assert.True(expected == ((mask128 >> j & 1) != 0), $"128-bit, {context}");
                }
            }
        }
    }
}
