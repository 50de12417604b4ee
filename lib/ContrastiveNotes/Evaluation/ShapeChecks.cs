using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Evaluation;

/// <summary>Argument checks shared by the evaluation types, with messages that say what was expected and found.</summary>
internal static class ShapeChecks
{
    internal static void Features(Tensor features, string name)
    {
        ArgumentNullException.ThrowIfNull(features, name);
        if (features.dim() != 2 || features.shape[0] < 1)
            throw new ArgumentException($"Expected features [count, dim] with count >= 1, found {Shapes.Format(features)}. Flatten the encoder output first.", name);
        if (!torch.is_floating_point(features))
            throw new ArgumentException($"Expected floating-point features, found {features.dtype}.", name);
    }

    internal static void Labels(Tensor labels, Tensor features, string name)
    {
        ArgumentNullException.ThrowIfNull(labels, name);
        if (labels.dim() != 1 || labels.shape[0] != features.shape[0])
            throw new ArgumentException($"Expected labels [{features.shape[0]}] (one per feature row), found {Shapes.Format(labels)}.", name);
        ClassLabels.Require(labels, features.shape[0], name);
    }

    internal static void SameDim(Tensor train, Tensor test)
    {
        if (train.shape[1] != test.shape[1])
            throw new ArgumentException($"Expected train and test features of the same dimension, found {Shapes.Format(train)} and {Shapes.Format(test)}.");
    }
}
