using System.Reflection;
using System.Reflection.Emit;

namespace Kernels.Verification.PublicSurface;

/// <summary>
/// A window on an array that stands for a span or matrix-view argument. Reflection cannot box a
/// <see cref="Span{T}"/> or a <see cref="MatrixView{T}"/> (they are ref structs), so the invoker passes windows and
/// the emitted call site turns each into the parameter's type.
/// </summary>
/// <param name="Array">The backing array (its element type is the span's).</param>
/// <param name="Offset">First element of the window.</param>
/// <param name="Length">Elements in the window (for a matrix: at least (Rows − 1)·Stride + Columns).</param>
/// <param name="Rows">Rows of a matrix view; unused for a span.</param>
/// <param name="Columns">Columns of a matrix view; unused for a span.</param>
/// <param name="Stride">Row stride of a matrix view; unused for a span.</param>
public sealed record Window(Array Array, int Offset, int Length, int Rows = 0, int Columns = 0, int Stride = 0)
{
    /// <summary>A vector window over a new array of <paramref name="length"/> elements.</summary>
    public static Window Vector<TElement>(int length, TElement fill = default!) where TElement : struct
    {
        var array = new TElement[length];
        Array.Fill(array, fill);
        return new Window(array, 0, length);
    }

    /// <summary>A dense row-major matrix window over a new array.</summary>
    public static Window Matrix<TElement>(int rows, int columns, TElement fill = default!) where TElement : struct
    {
        var array = new TElement[rows * columns];
        Array.Fill(array, fill);
        return new Window(array, 0, rows * columns, rows, columns, columns);
    }
}

/// <summary>
/// Calls any public method or constructor with boxed arguments, spans and matrix views included: a
/// <see cref="DynamicMethod"/> loads each argument, converts <see cref="Window"/>s to spans or views, and makes the
/// call directly, so exceptions arrive unwrapped (no <see cref="TargetInvocationException"/>).
/// </summary>
public static class SurfaceInvoker
{
    /// <summary>Calls <paramref name="method"/> on <paramref name="target"/> (ignored for static methods and constructors).</summary>
    public static object? Invoke(MethodBase method, object? target, object?[] arguments) => Build(method)(target, arguments);

    private static readonly Dictionary<MethodBase, Func<object?, object?[], object?>> s_cache = new();

    private static Func<object?, object?[], object?> Build(MethodBase method)
    {
        lock (s_cache)
        {
            if (!s_cache.TryGetValue(method, out var invoker))
            {
                invoker = Emit(method);
                s_cache.Add(method, invoker);
            }
            return invoker;
        }
    }

    private static Func<object?, object?[], object?> Emit(MethodBase method)
    {
        var dynamic = new DynamicMethod("Invoke_" + method.Name, typeof(object), [typeof(object), typeof(object[])], typeof(SurfaceInvoker).Module, skipVisibility: true);
        ILGenerator il = dynamic.GetILGenerator();
        Type declaring = method.DeclaringType!;
        bool constructor = method is ConstructorInfo;
        if (!method.IsStatic && !constructor)
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(declaring.IsValueType ? OpCodes.Unbox : OpCodes.Castclass, declaring);
        }
        ParameterInfo[] parameters = method.GetParameters();
        for (int i = 0; i < parameters.Length; i++)
        {
            Type type = parameters[i].ParameterType;
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldelem_Ref);
            if (type.IsByRef)
            {
                // in/ref/out: a pointer into the boxed value (writes to an out argument are not looked at).
                il.Emit(OpCodes.Unbox, type.GetElementType()!);
            }
            else if (type.IsPointer)
            {
                // A pointer travels as a boxed nint; IL treats the two alike.
                il.Emit(OpCodes.Unbox_Any, typeof(nint));
            }
            else if (Converter(type) is MethodInfo convert)
            {
                il.Emit(OpCodes.Call, convert);
            }
            else
            {
                il.Emit(type.IsValueType ? OpCodes.Unbox_Any : OpCodes.Castclass, type);
            }
        }
        Type returned;
        if (method is ConstructorInfo ctor)
        {
            il.Emit(OpCodes.Newobj, ctor);
            returned = declaring;
        }
        else
        {
            var info = (MethodInfo)method;
            il.Emit(info.IsStatic || declaring.IsValueType ? OpCodes.Call : OpCodes.Callvirt, info);
            returned = info.ReturnType;
        }
        if (returned == typeof(void))
        {
            il.Emit(OpCodes.Ldnull);
        }
        else if (returned.IsByRefLike || returned.IsByRef)
        {
            il.Emit(OpCodes.Pop);
            il.Emit(OpCodes.Ldnull);
        }
        else if (returned.IsValueType)
        {
            il.Emit(OpCodes.Box, returned);
        }
        il.Emit(OpCodes.Ret);
        return dynamic.CreateDelegate<Func<object?, object?[], object?>>();
    }

    /// <summary>The helper that turns a <see cref="Window"/> into a parameter of this type, or null for an ordinary type.</summary>
    private static MethodInfo? Converter(Type type)
    {
        if (!type.IsGenericType)
        {
            return null;
        }
        Type definition = type.GetGenericTypeDefinition();
        string? name = definition == typeof(Span<>) ? nameof(ToSpan)
            : definition == typeof(ReadOnlySpan<>) ? nameof(ToReadOnlySpan)
            : definition == typeof(MatrixView<>) ? nameof(ToMatrixView)
            : definition == typeof(ReadOnlyMatrixView<>) ? nameof(ToReadOnlyMatrixView)
            : null;
        return name is null ? null : typeof(SurfaceInvoker).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type.GetGenericArguments());
    }

    private static Span<TElement> ToSpan<TElement>(object window)
    {
        var w = (Window)window;
        return new Span<TElement>((TElement[])w.Array, w.Offset, w.Length);
    }

    private static ReadOnlySpan<TElement> ToReadOnlySpan<TElement>(object window) => ToSpan<TElement>(window);

    private static MatrixView<TElement> ToMatrixView<TElement>(object window) where TElement : unmanaged, System.Numerics.IFloatingPointIeee754<TElement>
    {
        var w = (Window)window;
        return new MatrixView<TElement>(ToSpan<TElement>(window), w.Rows, w.Columns, w.Stride);
    }

    private static ReadOnlyMatrixView<TElement> ToReadOnlyMatrixView<TElement>(object window) where TElement : unmanaged, System.Numerics.IFloatingPointIeee754<TElement> =>
        ToMatrixView<TElement>(window);
}
