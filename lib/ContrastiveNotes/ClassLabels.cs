using static TorchSharp.torch;

namespace ContrastiveNotes;

/// <summary>
/// The one rule for class labels everywhere in the library (datasets, trainer, losses, evaluation): a 1-D tensor
/// with one entry per sample, of an integer type (uint8, int8, int16, int32 or int64). Bool, floating and complex
/// tensors are refused: a bool tensor is a mask, not classes, and float labels are usually a mix-up with targets.
/// Parts that index with the labels convert them to int64 (<see cref="ToInt64"/>).
/// </summary>
public static class ClassLabels
{
    /// <summary>Throws unless <paramref name="labels"/> is an integer tensor <c>[count]</c> (count -1: any length).</summary>
    /// <param name="labels">The labels.</param>
    /// <param name="count">How many samples they label, or -1 when any length will do.</param>
    /// <param name="name">The argument's name, for the message.</param>
    /// <exception cref="ArgumentException">Wrong rank, length or type; the message says what to pass.</exception>
    public static void Require(Tensor labels, long count, string name)
    {
        ArgumentNullException.ThrowIfNull(labels, name);
        if (labels.dim() != 1 || (count >= 0 && labels.shape[0] != count))
            throw new ArgumentException(
                $"{name} must be class labels [{(count >= 0 ? count.ToString(System.Globalization.CultureInfo.InvariantCulture) : "count")}] (one per sample, in the samples' order), but its shape is {Shapes.Format(labels)}.", name);
        if (labels.dtype is not (ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64))
            throw new ArgumentException(
                $"{name} must be integer class labels (int64, int32, ... ), but its dtype is {labels.dtype}" +
                (labels.dtype == ScalarType.Bool ? " (a mask, not classes)" : "") + ". Convert it with .to_type(ScalarType.Int64).", name);
    }

    /// <summary>The labels as int64 (the same tensor when they already are).</summary>
    public static Tensor ToInt64(Tensor labels) => labels.dtype == ScalarType.Int64 ? labels : labels.to_type(ScalarType.Int64);
}
