using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Losses;

/// <summary>
/// Input checks shared by the losses. Each throws an <see cref="ArgumentException"/> whose message says what was
/// expected, what was found and what to do, so a student sees the problem at the loss call, not deep inside libtorch.
/// </summary>
internal static class LossInputs
{
    /// <summary>Requires a floating-point tensor of the given rank, e.g. rank 2 for <c>[batch, dim]</c>.</summary>
    public static void RequireFloating(Tensor tensor, int rank, string name, string shapeText)
    {
        if (tensor.dim() != rank)
            throw new ArgumentException(
                $"{name} must have shape {shapeText} (rank {rank}), but its shape is {Shapes.Format(tensor)}. " +
                $"Pass the encoder/head output for the whole batch; reshape or stack the views into {shapeText}.",
                name);
        if (!tensor.is_floating_point())
            throw new ArgumentException(
                $"{name} must be a floating-point tensor (float32 or float64), but its dtype is {tensor.dtype}. " +
                "Convert it with .to_type(ScalarType.Float32).",
                name);
    }

    /// <summary>Requires two tensors of identical shape, dtype and device (e.g. the two views' projections).</summary>
    public static void RequireSameShape(Tensor first, string firstName, Tensor second, string secondName)
    {
        if (!first.shape.SequenceEqual(second.shape))
            throw new ArgumentException(
                $"{firstName} and {secondName} must have the same shape, but {firstName} is {Shapes.Format(first)} and " +
                $"{secondName} is {Shapes.Format(second)}. Both must come from the same batch through the same head.",
                secondName);
        RequireSameDtypeAndDevice(first, firstName, second, secondName);
    }

    /// <summary>Requires two tensors with the same dtype and device, so the loss never converts silently.</summary>
    public static void RequireSameDtypeAndDevice(Tensor first, string firstName, Tensor second, string secondName)
    {
        if (first.dtype != second.dtype)
            throw new ArgumentException(
                $"{firstName} and {secondName} must have the same dtype, but they are {first.dtype} and {second.dtype}. " +
                "Convert one with .to_type(...).",
                secondName);
        if (!LossInputs.SameDevice(first, second))
            throw new ArgumentException(
                $"{firstName} and {secondName} must be on the same device, but they are on {first.device} and " +
                $"{second.device}. Move them with .to(device).",
                secondName);
    }

    /// <summary>Requires class labels <c>[batch]</c>, one per sample (the rule is <see cref="ClassLabels.Require"/>).</summary>
    public static void RequireLabels(Tensor labels, long batch, string name) => ClassLabels.Require(labels, batch, name);

    /// <summary>Requires a strictly positive, finite number (temperatures, margins that must be &gt; 0).</summary>
    public static void RequirePositive(double value, string name, string advice)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(
                name, value, $"{name} must be a finite number > 0, but it is {value}. {advice}");
    }

    /// <summary>True when both tensors live on the same device (Device objects compare by reference).</summary>
    public static bool SameDevice(Tensor first, Tensor second) =>
        first.device_type == second.device_type && first.device_index == second.device_index;
}
