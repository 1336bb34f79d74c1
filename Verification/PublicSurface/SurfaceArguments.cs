using System.Numerics;
using System.Reflection;
using System.Runtime.CompilerServices;
using Kernels.Activations;
using Kernels.Blas;
using Kernels.Layers;
using Kernels.Linalg;
using Kernels.Randomness;
using Kernels.Solvers;
using Kernels.Sparse;
using Kernels.Sketching.Diagnostics;
using Kernels.Sketching.Hashing;
using Kernels.Sketching.Layers;
using Kernels.Sketching.Operators;
using Kernels.Trees;

namespace Kernels.Verification.PublicSurface;

/// <summary>
/// Finds every public method and constructor of Kernels, Kernels.Sketching and Kernels.Trees that takes an enum, a
/// floating-point scalar or two outputs of one element type, and builds valid arguments for it: by parameter type,
/// with a few overrides by parameter name or by method where one size does not fit all. Sizes are 8 throughout
/// (vectors of 8, 8 × 8 identity matrices, 8 buckets), so one argument set fits most shapes at once.
/// </summary>
public static class SurfaceArguments
{
    private const int Size = 8;

    /// <summary>
    /// Scalars that may be infinite, with the reason (key: Type.Method.parameter; constructors are ".ctor"):
    /// thresholds compare, so ±∞ selects all or nothing.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> InfinityAllowed = new Dictionary<string, string>
    {
        ["Threshold.CountGreaterOrEqual.threshold"] = "x ≥ −∞ holds for every x, x ≥ +∞ for none but +∞",
        ["Threshold.CompressGreaterOrEqual.threshold"] = "as CountGreaterOrEqual",
        ["ThresholdForest.Count.threshold"] = "as Threshold.CountGreaterOrEqual",
        ["ThresholdForest.Query.threshold"] = "as Threshold.CountGreaterOrEqual",
        ["ThresholdForest.QueryAll.threshold"] = "as Threshold.CountGreaterOrEqual",
        ["ThresholdProducts.CompressGreaterOrEqual.threshold"] = "as Threshold.CountGreaterOrEqual",
        ["GreaterOrEqualPredicate`1..ctor.threshold"] = "as Threshold.CountGreaterOrEqual",
        ["EqualPredicate`1..ctor.value"] = "x = ±∞ holds for that infinity alone",
    };

    /// <summary>
    /// Methods whose floating-point parameters are data, not scalar settings, with the reason (key: Type.Method):
    /// IEEE arithmetic applies to them and a NaN propagates, as the README's conventions say for data.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> DataOperands = new Dictionary<string, string>
    {
        ["VectorMath.MultiplyAdd"] = "element arithmetic a·b + c for operator authors, the scalar lane of the vector overloads",
        ["GreaterOrEqualPredicate`1.Test"] = "the element compared, the scalar lane of the vector overloads (NaN compares false)",
        ["EqualPredicate`1.Test"] = "as GreaterOrEqualPredicate.Test",
        ["NaNPredicate`1.Test"] = "the element tested; NaN is what it looks for",
    };

    /// <summary>Every method of the public surface that one of the contract checks applies to.</summary>
    public static IEnumerable<SurfaceMethod> Methods()
    {
        Assembly[] assemblies = [typeof(Level1).Assembly, typeof(CountSketch<>).Assembly, typeof(ThresholdForest).Assembly, typeof(global::Kernels.Training.Models.TwoLayerShiftedRelu).Assembly];
        foreach (Type open in assemblies.SelectMany(a => a.GetExportedTypes()).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            // Guard's methods check a caller's argument and name it by their name parameter, not by their own
            // parameter names: the contract they enforce is the one this test checks on their callers.
            if (open.IsInterface || open.IsEnum || typeof(Delegate).IsAssignableFrom(open) || typeof(Exception).IsAssignableFrom(open) || open == typeof(Guard))
            {
                continue;
            }
            Type type = open.IsGenericTypeDefinition ? Close(open) : open;
            const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            IEnumerable<MethodBase> members = type.GetMethods(flags).Where(m => !m.IsSpecialName && !m.IsDefined(typeof(CompilerGeneratedAttribute)));
            // A positional record's primary constructor stores a result (ChiSquareStatistic, ConjugateGradientResult…);
            // it computes nothing, so it has no contract beyond its type.
            bool positionalRecord = type.GetMethod("Deconstruct") is MethodInfo deconstruct && deconstruct.IsDefined(typeof(CompilerGeneratedAttribute));
            if (!positionalRecord && !type.IsAbstract)
            {
                members = members.Concat(type.GetConstructors());
            }
            foreach (MethodBase member in members.Where(Applies))
            {
                MethodBase method = member is MethodInfo { IsGenericMethodDefinition: true } generic ? generic.MakeGenericMethod(generic.GetGenericArguments().Select(GenericArgument).ToArray()) : member;
                {
                    yield return new SurfaceMethod(method, method.IsStatic || method is ConstructorInfo ? null : () => Instance(method.DeclaringType!), target => Arguments(method, target));
                }
            }
        }
    }

    /// <summary>True for a writable span or matrix view.</summary>
    public static bool IsOutput(Type type) => type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Span<>) || type.GetGenericTypeDefinition() == typeof(MatrixView<>));

    /// <summary>The element type of a span or matrix view.</summary>
    public static Type ElementType(Type type) => type.GetGenericArguments()[0];

    /// <summary>
    /// Two windows on one new array that share all but one element: <paramref name="first"/>'s shape at offset 0 and
    /// <paramref name="second"/>'s at offset 1, each filled from the window it replaces.
    /// </summary>
    public static (Window First, Window Second) PartlyOverlapping(Window first, Window second)
    {
        Array shared = Array.CreateInstance(first.Array.GetType().GetElementType()!, Math.Max(first.Length, second.Length + 1));
        Array.Copy(first.Array, first.Offset, shared, 0, first.Length);
        Array.Copy(second.Array, second.Offset, shared, 1, second.Length);
        return (first with { Array = shared, Offset = 0 }, second with { Array = shared, Offset = 1 });
    }

    /// <summary>A short name for a type in messages: Span&lt;Single&gt; rather than its full name.</summary>
    public static string Describe(Type type) =>
        type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(Describe))}>" : type.Name;

    /// <summary>Whether a check applies, decided before a generic method is closed (T stands for float).</summary>
    private static bool Applies(MethodBase method)
    {
        Type[] types = method.GetParameters().Select(p => p.ParameterType).ToArray();
        return types.Any(t => t.IsEnum || t == typeof(float) || t == typeof(double) || (t.IsGenericParameter && IsElement(t)))
            || types.Where(IsOutput).GroupBy(ElementType).Any(g => g.Count() >= 2);
    }

    private static Type Close(Type open) => open.MakeGenericType(open.GetGenericArguments().Select(GenericArgument).ToArray());

    private static bool IsElement(Type parameter) =>
        parameter.Name == "T" || parameter.GetGenericParameterConstraints().Any(c => c.IsGenericType && c.GetGenericTypeDefinition() == typeof(IFloatingPointIeee754<>));

    /// <summary>float for an element type; the one implementation used for each other type parameter.</summary>
    private static Type GenericArgument(Type parameter)
    {
        if (IsElement(parameter))
        {
            return typeof(float);
        }
        return parameter.Name switch
        {
            "THash" => typeof(MultiplyShift),
            "TA" or "TB" => typeof(DenseMatrixSource<float>),
            "TReport" => typeof(global::Kernels.Training.Trainers.GaussNewton.GaussNewtonIteration),
            _ => throw new InvalidOperationException($"No generic argument for {parameter.Name} of {parameter.DeclaringMethod?.Name ?? parameter.DeclaringType?.Name}: add one to SurfaceArguments.GenericArgument."),
        };
    }

    /// <summary>The instance an instance method is called on.</summary>
    private static object Instance(Type type)
    {
        if (type == typeof(HouseholderQr<float>))
        {
            return HouseholderQr<float>.Factor(new ReadOnlyMatrixView<float>(Identity(), Size, Size));
        }
        if (type == typeof(HashedLinear<float>))
        {
            return new HashedLinear<float>(Size, Size, Size, new MultiplyShift(1, 0));
        }
        if (type == typeof(SketchedLinear<float>))
        {
            return new SketchedLinear<float>(Sketch(), Size);
        }
        if (type == typeof(LinearMapBase<float>) || type == typeof(DenseMap<float>))
        {
            return new DenseMap<float>(Identity(), Size, Size);
        }
        if (type == typeof(Linear<float>))
        {
            return new Linear<float>(Size, Size);
        }
        if (type == typeof(ThresholdForest))
        {
            return new ThresholdForest(new ReadOnlyMatrixView<float>(Identity(), Size, Size), new ReadOnlyMatrixView<float>(Identity(), Size, Size));
        }
        return type.Name switch
        {
            nameof(MultiplyShift) => new MultiplyShift(1, 0),
            nameof(PolynomialHash) => new PolynomialHash(4, 1, 0),
            nameof(TabulationHash) => TabulationHash.Simple(1, 0),
            nameof(CounterRandom) => new CounterRandom(1, 0),
            nameof(ChiSquareStatistic) => new ChiSquareStatistic(3, 4, 100),
            nameof(DistanceRatioRange) => new DistanceRatioRange(0.9, 1.1, 3),
            nameof(SubspaceDistortionResult) => new SubspaceDistortionResult(0.9, 1.1, 3),
            nameof(BucketLoadStatistics) => new BucketLoadStatistics(100, Size, 10, 15),
            "GreaterOrEqualPredicate`1" => new global::Kernels.Simd.GreaterOrEqualPredicate<float>(0f),
            "EqualPredicate`1" => new global::Kernels.Simd.EqualPredicate<float>(0f),
            "NaNPredicate`1" => default(global::Kernels.Simd.NaNPredicate<float>),
            _ => throw new InvalidOperationException($"No instance of {Describe(type)}: add a factory to SurfaceArguments.Instance."),
        };
    }

    private static object?[] Arguments(MethodBase method, object? target)
    {
        string owner = method.DeclaringType!.IsGenericType ? method.DeclaringType.Name[..method.DeclaringType.Name.IndexOf('`')] : method.DeclaringType.Name;
        return method.GetParameters().Select(p => Argument(p, $"{owner}.{method.Name}.{p.Name}", target)).ToArray();
    }

    /// <summary>A valid argument for one parameter: by method-specific override, then by name, then by type.</summary>
    private static object? Argument(ParameterInfo parameter, string key, object? target)
    {
        Type type = parameter.ParameterType.IsByRef ? parameter.ParameterType.GetElementType()! : parameter.ParameterType;
        switch (key)
        {
            case "SketchedLinear.BackwardParameters.weightGradient":
            case "Linear.BackwardParameters.weightGradient":
                return Window.Vector(Size * Size, 0f);
            case "Level3.GemmBiasActivation.shift":
                return 0f; // the first enum value (Identity) takes no shift

            case "PinnedMatrixSource..ctor.length":
                return Size * Size;
            case "HouseholderQr.SolveLeastSquares.b" when type == typeof(Span<float>):
                return Window.Vector(Size, 1f);
        }
        if (parameter.HasDefaultValue && !type.IsEnum)
        {
            return parameter.DefaultValue is null && type.IsValueType ? Activator.CreateInstance(type) : parameter.DefaultValue;
        }
        if (type.IsEnum)
        {
            return Enum.GetValues(type).GetValue(0);
        }
        if (type == typeof(float) || type == typeof(double))
        {
            double value = parameter.Name switch
            {
                "beta" or "low" or "bias" or "threshold" => 0,
                "falseAlarmProbability" => 0.01,
                "epsilon" or "relativeDeviation" or "deviation" => 0.5,
                _ => 1,
            };
            return type == typeof(float) ? (object)(float)value : value;
        }
        if (type == typeof(int))
        {
            return parameter.Name switch
            {
                "i" or "j" or "row" or "col" or "column" or "input" or "output" or "indexOffset" => 0,
                "independence" => 4,
                "nonzerosPerColumn" => 2,
                _ => Size,
            };
        }
        if (type == typeof(long) || type == typeof(uint))
        {
            return Convert.ChangeType(0, type);
        }
        if (type == typeof(ulong))
        {
            return parameter.Name == "keyCount" ? (ulong)Size : 1UL;
        }
        if (type == typeof(bool))
        {
            return true;
        }
        if (type.IsGenericType)
        {
            Type definition = type.GetGenericTypeDefinition();
            Type element = type.GetGenericArguments()[0];
            if (definition == typeof(Span<>) || definition == typeof(ReadOnlySpan<>))
            {
                return element == typeof(float) ? Window.Vector(Size, 1f)
                    : element == typeof(double) ? Window.Vector(Size, 1.0)
                    : new Window(Array.CreateInstance(element, Size), 0, Size);
            }
            if (element == typeof(float) && (definition == typeof(MatrixView<>) || definition == typeof(ReadOnlyMatrixView<>)))
            {
                return new Window(Identity(), 0, Size * Size, Size, Size, Size);
            }
            if (element == typeof(float) && definition == typeof(ReadOnlyMemory<>))
            {
                return new ReadOnlyMemory<float>(Identity());
            }
            if (element == typeof(float) && definition == typeof(Memory<>))
            {
                return new Memory<float>(Identity());
            }
        }
        if (type == typeof(float*))
        {
            return s_pinnedIdentity;
        }
        if (type == typeof(BlasOptions))
        {
            return BlasOptions.Default;
        }
        if (type == typeof(ActiveSets))
        {
            return new ActiveSets(Size);
        }
        if (type == typeof(MultiplyShift) || type == typeof(IHashFunction))
        {
            return new MultiplyShift(1, 0);
        }
        if (type == typeof(DenseMatrixSource<float>))
        {
            return new DenseMatrixSource<float>(Identity(), Size, Size);
        }
        if (type == typeof(ILinearMap<float>))
        {
            return new DenseMap<float>(Identity(), Size, Size);
        }
        if (type == typeof(CsrMatrix<float>))
        {
            return CsrMatrix<float>.FromDense(new ReadOnlyMatrixView<float>(Identity(), Size, Size));
        }
        if (type == typeof(ISketch<float>))
        {
            return Sketch();
        }
        if (type == typeof(ILinearOperator<float>))
        {
            return new DenseOperator<float>(Identity(), Size);
        }
        if (type == typeof(SketchedLinearWorkspace<float>))
        {
            // A workspace for the layer it is passed to, holding a forward pass (the backward passes read it).
            var layer = target as SketchedLinear<float> ?? new SketchedLinear<float>(Sketch(), Size);
            var workspace = new SketchedLinearWorkspace<float>(layer, Size);
            layer.Forward(new ReadOnlyMatrixView<float>(Identity(), Size, Size), new MatrixView<float>(new float[Size * Size], Size, Size), workspace);
            return workspace;
        }
        throw new InvalidOperationException($"No argument for {Describe(type)} {parameter.Name} ({key}): add a factory to SurfaceArguments.Argument.");
    }

    /// <summary>An 8 × 8 identity in unmanaged memory, for pointer arguments (allocated once, never freed).</summary>
    private static readonly nint s_pinnedIdentity = PinnedIdentity();

    private static nint PinnedIdentity()
    {
        nint memory = System.Runtime.InteropServices.Marshal.AllocHGlobal(Size * Size * sizeof(float));
        System.Runtime.InteropServices.Marshal.Copy(Identity(), 0, memory, Size * Size);
        return memory;
    }

    private static ISketch<float> Sketch() => new CountSketchDistribution(Size, Size).Sample<float>(1);

    private static float[] Identity()
    {
        var identity = new float[Size * Size];
        for (int i = 0; i < Size; i++)
        {
            identity[i * Size + i] = 1;
        }
        return identity;
    }
}
