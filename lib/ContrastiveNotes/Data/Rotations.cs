using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Data;

/// <summary>
/// The pretext task of rotation prediction (Gidaris, Singh and Komodakis 2018, "Unsupervised Representation Learning
/// by Predicting Image Rotations", arXiv:1803.07728): every image is rotated by 0°, 90°, 180° and 270°, and the
/// rotation index becomes a free label. All four copies go into the same batch, as in the paper.
/// </summary>
public static class Rotations
{
    /// <summary>Number of rotations (0°, 90°, 180°, 270°), i.e. the number of pretext classes.</summary>
    public const int Count = 4;

    /// <summary>Names of the pretext classes, indexed by label: "0°", "90°", "180°", "270°".</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "0°", "90°", "180°", "270°" };

    /// <summary>
    /// Rotates every image by k·90° counter-clockwise for k = 0..3 and returns the four copies stacked rotation by
    /// rotation (first all images at 0°, then all at 90°, ...) with the rotation index k as label.
    /// </summary>
    /// <param name="images">Square images <c>[batch, channels, size, size]</c>, any dtype, on any device.</param>
    /// <returns>Rotated images <c>[4·batch, channels, size, size]</c> (same dtype and device) and int64 labels <c>[4·batch]</c>.</returns>
    /// <exception cref="ArgumentException">The images are not a 4-D batch of square images.</exception>
    public static (Tensor Images, Tensor Labels) RotateAll(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4 || images.shape[2] != images.shape[3] || images.shape[0] < 1)
            throw new ArgumentException(
                $"Expected a batch of square images [batch, channels, size, size], found {Shapes.Format(images)}. " +
                "Rotating by 90° swaps height and width, so crop or resize the images to a square first.", nameof(images));
        using var scope = torch.NewDisposeScope();
        var rotated = torch.cat(Enumerable.Range(0, Count).Select(k => images.rot90(k, (2, 3))).ToArray(), 0);
        var labels = torch.arange(Count, dtype: ScalarType.Int64, device: images.device).repeat_interleave(images.shape[0]);
        return (rotated.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
    }
}
