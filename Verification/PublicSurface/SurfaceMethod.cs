using System.Reflection;

namespace Kernels.Verification.PublicSurface;

/// <summary>
/// A public method or constructor closed over <see cref="float"/> (and the generic arguments of
/// <see cref="SurfaceArguments.GenericArguments"/>), with a factory of valid arguments and of the instance it is called on.
/// </summary>
/// <param name="Method">The closed method or constructor.</param>
/// <param name="Target">Builds the instance for an instance method; null for static methods and constructors.</param>
/// <param name="ArgumentsFor">Builds a fresh set of valid arguments for a target (new arrays each time, so a call cannot
/// see another's writes; a workspace is made for the very layer it is passed to).</param>
public sealed record SurfaceMethod(MethodBase Method, Func<object>? Target, Func<object?, object?[]> ArgumentsFor)
{
    /// <summary>A fresh target (null for a static method or constructor) and valid arguments for it.</summary>
    public (object? Target, object?[] Arguments) Prepare()
    {
        object? target = Target?.Invoke();
        return (target, ArgumentsFor(target));
    }

    /// <summary>Calls the method on <paramref name="target"/> with <paramref name="arguments"/>.</summary>
    public object? Invoke(object? target, object?[] arguments) => SurfaceInvoker.Invoke(Method, target, arguments);

    /// <inheritdoc/>
    public override string ToString()
    {
        string parameters = string.Join(", ", Method.GetParameters().Select(p => $"{SurfaceArguments.Describe(p.ParameterType)} {p.Name}"));
        string name = Method is ConstructorInfo ? "new" : Method.Name;
        return $"{SurfaceArguments.Describe(Method.DeclaringType!)}.{name}({parameters})";
    }
}
