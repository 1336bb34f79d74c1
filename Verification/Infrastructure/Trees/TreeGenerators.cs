using FsCheck;
using FsCheck.Fluent;

namespace Kernels.Verification.Infrastructure;

/// <summary>
/// The FsCheck generator of the Trees layer's cases (forest scripts), registered through
/// <see cref="KernelPropertyAttribute"/>; a script shrinks toward fewer steps and a smaller forest.
/// </summary>
public static class TreeGenerators
{
    /// <summary>Cap on the data points of a generated forest script.</summary>
    public const int MaxForestPoints = 6;

    /// <summary>Cap on the steps of a generated forest script.</summary>
    public const int MaxForestSteps = 24;

    /// <summary>
    /// Forest scripts: n up to <see cref="MaxForestPoints"/> (often 1), m biased to the fan-out boundaries of both
    /// layouts (1, 2, 15–17, 255–257, 4095–4097, and past 4096 for four wide levels), d from 0 to 40, exact (small-integer) or real-valued data, and up to
    /// <see cref="MaxForestSteps"/> steps, a third of them queries. Shrinking drops steps, then shrinks m, n, d and batches.
    /// </summary>
    public static Arbitrary<ForestScript> ForestScripts() =>
        Arb.From(ForestScriptGen(), ShrinkForestScript);

    private static Gen<ForestScript> ForestScriptGen() =>
        from points in Gen.Frequency((2, Gen.Constant(1)), (3, Gen.Choose(2, MaxForestPoints)))
        from neurons in Gen.Frequency(
            (4, Gen.Choose(1, 300)),
            (3, Gen.Elements(1, 2, 15, 16, 17, 31, 32, 33, 255, 256, 257)),
            (2, Gen.Elements(4095, 4096, 4097, 4111, 5000)))
        from dimension in Gen.Frequency((1, Gen.Elements(0, 1, 16, 32)), (3, Gen.Choose(1, 40)))
        from kind in Gen.Frequency((2, Gen.Constant(ValueKind.SmallIntegers)), (1, Gen.Constant(ValueKind.Uniform)))
        from seed in Gen.Choose(0, int.MaxValue)
        from steps in Gen.Sized(s => Gen.Choose(0, Math.Min(MaxForestSteps, 1 + s / 4)))
        from operations in ForestOperationGen().ArrayOf(steps)
        select new ForestScript(points, neurons, dimension, kind, seed, operations);

    private static Gen<ForestOperation> ForestOperationGen() =>
        from step in Gen.Frequency(
            (3, Gen.Constant(ForestStep.Update)),
            (2, Gen.Constant(ForestStep.UpdateMany)),
            (1, Gen.Constant(ForestStep.UpdateAll)),
            (3, Gen.Constant(ForestStep.Query)))
        from target in Gen.Choose(0, int.MaxValue)
        from size in Gen.Frequency((3, Gen.Choose(1, 8)), (1, Gen.Choose(9, 400)))
        from seed in Gen.Choose(0, int.MaxValue)
        select new ForestOperation(step, target, size, seed);

    private static IEnumerable<ForestScript> ShrinkForestScript(ForestScript c)
    {
        ForestOperation[] ops = c.Operations;
        if (ops.Length > 1)
        {
            yield return c with { Operations = ops[..(ops.Length / 2)] };
            yield return c with { Operations = ops[(ops.Length / 2)..] };
        }
        for (int i = 0; i < ops.Length; i++)
        {
            yield return c with { Operations = [.. ops[..i], .. ops[(i + 1)..]] };
        }
        if (c.Neurons > 1)
        {
            yield return c with { Neurons = c.Neurons / 2 };
            yield return c with { Neurons = c.Neurons - 1 };
        }
        if (c.Points > 1) { yield return c with { Points = c.Points - 1 }; }
        if (c.Dimension > 1) { yield return c with { Dimension = c.Dimension / 2 }; }
        if (c.Kind != ValueKind.SmallIntegers) { yield return c with { Kind = ValueKind.SmallIntegers }; }
        for (int i = 0; i < ops.Length; i++)
        {
            if (ops[i].Step == ForestStep.UpdateMany && ops[i].Size > 1)
            {
                ForestOperation[] smaller = [.. ops];
                smaller[i] = ops[i] with { Size = ops[i].Size / 2 };
                yield return c with { Operations = smaller };
            }
        }
    }
}
