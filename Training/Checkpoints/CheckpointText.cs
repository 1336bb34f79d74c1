using System.Text;

namespace Kernels.Training.Checkpoints;

/// <summary>Checks on the strings a checkpoint stores (model kind, tensor and hyperparameter names, values).</summary>
internal static class CheckpointText
{
    // Throws on a lone surrogate, which has no UTF-8 form and so could not be written to the JSON header.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Rejects null and (unless <paramref name="allowEmpty"/>) empty strings, and strings that are not valid UTF-16.</summary>
    public static void Require(string? value, string paramName, string what, bool allowEmpty = false)
    {
        if (value is null)
        {
            throw new ArgumentNullException(paramName, $"The {what} must not be null.");
        }
        if (!allowEmpty && value.Length == 0)
        {
            throw new ArgumentException($"The {what} must not be empty.", paramName);
        }
        try
        {
            StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException ex)
        {
            throw new ArgumentException($"The {what} \"{value}\" contains a lone surrogate, which has no UTF-8 form.", paramName, ex);
        }
    }
}
