using static TorchSharp.torch;

namespace ContrastiveNotes.Augmentations;

/// <summary>
/// A random image transformation applied to a whole batch at once, with independent random parameters
/// for every image drawn from the given generator, using only tensor operations on the batch's device.
/// </summary>
public interface IBatchAugmentation
{
    /// <summary>Transforms <c>float32</c> images <c>[batch, channels, height, width]</c> in [0, 1].</summary>
    /// <param name="images">The batch; it is not modified.</param>
    /// <param name="generator">The seeded source of every random parameter (same seed, same output).</param>
    /// <returns>A new tensor on the same device (the spatial size may change, e.g. for a crop).</returns>
    Tensor Apply(Tensor images, Generator generator);

    /// <summary>A one-line readable description with every parameter, used to print pipelines in notebooks.</summary>
    string Describe();
}
