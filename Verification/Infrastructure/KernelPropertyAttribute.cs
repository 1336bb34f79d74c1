using FsCheck.Xunit;

namespace Kernels.Verification.Infrastructure;

/// <summary>
/// The project-wide property attribute: one place that fixes the number of cases, the generators and the seed policy.
/// </summary>
/// <remarks>
/// Seeds are fresh on every run, so the suite keeps exploring. FsCheck 3 reports a failure with
/// <c>Last step was invoked with size of s and seed of (a,b)</c>; set the environment variable <c>KERNELS_REPLAY</c>
/// to <c>a,b,s</c> to re-run every property from that case (the failing one is the first generated), or paste it into
/// the attribute of the failing test while debugging. <c>.ci/run</c> prints that command for every failed property.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class KernelPropertyAttribute : PropertyAttribute
{
    /// <summary>Default number of generated cases per property.</summary>
    public const int DefaultMaxTest = 150;

    /// <summary>Cap on the FsCheck size parameter, and so on generated vector lengths.</summary>
    public const int MaxSize = KernelGenerators.MaxLength;

    /// <summary>Configures the defaults; individual tests may still lower <see cref="PropertyAttribute.MaxTest"/> for costly properties.</summary>
    public KernelPropertyAttribute()
    {
        MaxTest = DefaultMaxTest;
        EndSize = MaxSize;
        // The generators, one class per layer of the library (Kernels.Testing's Kernels and Sketching folders, Infrastructure/Trees).
        Arbitrary = [typeof(KernelGenerators), typeof(SketchingGenerators), typeof(TreeGenerators)];
        QuietOnSuccess = true;
        string? replay = Environment.GetEnvironmentVariable("KERNELS_REPLAY");
        if (!string.IsNullOrWhiteSpace(replay))
        {
            Replay = replay;
        }
    }
}
