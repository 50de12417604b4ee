using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Models;

/// <summary>
/// A backbone that maps images <c>[batch, channels, height, width]</c> to feature vectors
/// <c>[batch, FeatureDim]</c>, the representation <c>h</c> that downstream tasks (linear probe, kNN) use.
/// Projection and prediction heads are separate modules applied on top.
/// </summary>
public abstract class Encoder : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the module with the given name.</summary>
    /// <param name="name">Module name (shown in state-dict keys of parents).</param>
    protected Encoder(string name) : base(name) { }

    /// <summary>Size of the feature vector returned by <c>forward</c>.</summary>
    public abstract int FeatureDim { get; }

    /// <summary>Checks that images are <c>[batch, InChannels, height, width]</c> with height and width at least <paramref name="minSize"/>.</summary>
    protected static void RequireImages(Tensor images, long inChannels, long minSize, string encoderName)
    {
        if (images.dim() != 4 || images.shape[1] != inChannels)
            throw new ArgumentException(
                $"{encoderName} expects images [batch, {inChannels}, height, width], but got shape {Shapes.Format(images)}. " +
                "Add a batch dimension with .unsqueeze(0), or build the encoder with the images' channel count.",
                nameof(images));
        if (images.shape[2] < minSize || images.shape[3] < minSize)
            throw new ArgumentException(
                $"{encoderName} expects images of at least {minSize}x{minSize} pixels, but got {images.shape[2]}x{images.shape[3]}. " +
                "Resize or pad the images.",
                nameof(images));
    }
}
