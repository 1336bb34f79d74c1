using System.Numerics;
using System.Reflection;

namespace Kernels.Verification.PublicSurface;

/// <summary>
/// The argument contracts of the whole public surface of Kernels, Kernels.Sketching and Kernels.Trees, checked by
/// reflection so that a new method cannot skip them: an undefined enum value throws
/// <see cref="ArgumentOutOfRangeException"/> naming that parameter; a NaN or infinite floating-point scalar throws
/// <see cref="ArgumentException"/> naming it (infinity only where <see cref="SurfaceArguments.InfinityAllowed"/> says
/// why not; <see cref="SurfaceArguments.DataOperands"/> lists the few methods whose floating-point parameters are data); two outputs that partly overlap throw <see cref="ArgumentException"/> naming one of them. Every other
/// argument comes from <see cref="SurfaceArguments"/>; a method it cannot build fails the test ("add a factory").
/// </summary>
public sealed class PublicSurfaceContractTests
{
    [Fact]
    public void Undefined_enum_values_are_rejected_naming_the_parameter()
    {
        var failures = new List<string>();
        int checkedParameters = 0;
        foreach (var method in SurfaceArguments.Methods())
        {
            ParameterInfo[] parameters = method.Method.GetParameters();
            for (int p = 0; p < parameters.Length; p++)
            {
                if (parameters[p].ParameterType.IsEnum)
                {
                    checkedParameters++;
                    object undefined = Enum.ToObject(parameters[p].ParameterType, 77);
                    Expect<ArgumentOutOfRangeException>(method, p, undefined, [parameters[p].Name!], failures);
                }
            }
        }
        // Transpose (Gemv, Gemm, DenseMatrixSource), Side/Triangle/Diagonal, PrimeField, BasisHandling, ForestLayout at least.
        Assert.True(checkedParameters >= 15, $"only {checkedParameters} enum parameters found; the discovery is broken");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Non_finite_scalars_are_rejected_naming_the_parameter()
    {
        var failures = new List<string>();
        int checkedParameters = 0;
        foreach (var method in SurfaceArguments.Methods().Where(m => !SurfaceArguments.DataOperands.ContainsKey($"{m.Method.DeclaringType!.Name}.{m.Method.Name}")))
        {
            ParameterInfo[] parameters = method.Method.GetParameters();
            for (int p = 0; p < parameters.Length; p++)
            {
                Type type = parameters[p].ParameterType;
                if (type != typeof(float) && type != typeof(double))
                {
                    continue;
                }
                checkedParameters++;
                bool infinityAllowed = SurfaceArguments.InfinityAllowed.ContainsKey($"{method.Method.DeclaringType!.Name}.{method.Method.Name}.{parameters[p].Name}");
                foreach (double bad in infinityAllowed ? [double.NaN] : new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
                {
                    object value = type == typeof(float) ? (object)(float)bad : bad;
                    Expect<ArgumentException>(method, p, value, [parameters[p].Name!], failures);
                }
            }
        }
        Assert.True(checkedParameters >= 30, $"only {checkedParameters} scalar parameters found; the discovery is broken");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Outputs_that_partly_overlap_each_other_are_rejected()
    {
        var failures = new List<string>();
        int checkedPairs = 0;
        foreach (var method in SurfaceArguments.Methods())
        {
            ParameterInfo[] parameters = method.Method.GetParameters();
            var outputs = Enumerable.Range(0, parameters.Length).Where(p => SurfaceArguments.IsOutput(parameters[p].ParameterType)).ToArray();
            for (int first = 0; first < outputs.Length; first++)
            {
                for (int second = first + 1; second < outputs.Length; second++)
                {
                    int a = outputs[first], b = outputs[second];
                    if (SurfaceArguments.ElementType(parameters[a].ParameterType) != SurfaceArguments.ElementType(parameters[b].ParameterType))
                    {
                        continue;
                    }
                    checkedPairs++;
                    var (target, arguments) = method.Prepare();
                    var (left, right) = SurfaceArguments.PartlyOverlapping((Window)arguments[a]!, (Window)arguments[b]!);
                    arguments[a] = left;
                    arguments[b] = right;
                    Expect<ArgumentException>(method, target, arguments, [parameters[a].Name!, parameters[b].Name!], $"{parameters[a].Name} and {parameters[b].Name} partly overlapping", failures);
                }
            }
        }
        Assert.True(checkedPairs > 0, "no method with two outputs was found; the discovery is broken");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Every_method_with_an_enum_a_scalar_or_two_outputs_can_be_called_with_valid_arguments()
    {
        // The baseline for the checks above: with the factories' arguments each call succeeds, so an exception in
        // those tests comes from the one argument they changed.
        var failures = new List<string>();
        foreach (var method in SurfaceArguments.Methods())
        {
            try
            {
                var (target, arguments) = method.Prepare();
                method.Invoke(target, arguments);
            }
            catch (Exception e)
            {
                failures.Add($"{method}: valid arguments threw {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Every_exemption_names_an_existing_parameter()
    {
        // An exemption left behind by a renamed or removed method would silently exempt its successor's namesake.
        var methods = SurfaceArguments.Methods().Select(m => $"{m.Method.DeclaringType!.Name}.{m.Method.Name}").ToHashSet();
        var parameters = SurfaceArguments.Methods()
            .SelectMany(m => m.Method.GetParameters().Select(p => $"{m.Method.DeclaringType!.Name}.{m.Method.Name}.{p.Name}")).ToHashSet();
        Assert.All(SurfaceArguments.InfinityAllowed.Keys, key => Assert.Contains(key, parameters));
        Assert.All(SurfaceArguments.DataOperands.Keys, key => Assert.Contains(key, methods));
    }

    private static void Expect<TException>(SurfaceMethod method, int parameter, object bad, string[] names, List<string> failures) where TException : ArgumentException
    {
        var (target, arguments) = method.Prepare();
        arguments[parameter] = bad;
        Expect<TException>(method, target, arguments, names, $"{method.Method.GetParameters()[parameter].Name} = {bad}", failures);
    }

    private static void Expect<TException>(SurfaceMethod method, object? target, object?[] arguments, string[] names, string what, List<string> failures) where TException : ArgumentException
    {
        try
        {
            method.Invoke(target, arguments);
            failures.Add($"{method} with {what}: no exception");
        }
        catch (TException e) when (names.Contains(e.ParamName))
        {
        }
        catch (Exception e)
        {
            failures.Add($"{method} with {what}: {e.GetType().Name} (ParamName '{(e as ArgumentException)?.ParamName}'), expected {typeof(TException).Name} naming {string.Join(" or ", names)}: {e.Message}");
        }
    }
}
