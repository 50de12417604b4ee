using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Augmentations;

/// <summary>
/// Inverts the pixels at or above <see cref="Threshold"/> (<c>x &gt;= t ? 1 - x : x</c>, torchvision's
/// <c>solarize</c>) with probability <see cref="Probability"/> per image; used by BYOL (Grill et al. 2020,
/// arXiv:2006.07733) with threshold 0.5.
/// </summary>
public sealed class RandomSolarize : IBatchAugmentation
{
    /// <summary>Creates the op.</summary>
    /// <param name="threshold">Intensity in [0, 1] from which pixels are inverted.</param>
    /// <param name="probability">Chance that an image is solarized.</param>
    public RandomSolarize(double threshold = 0.5, double probability = 0.2)
    {
        Threshold = BatchChecks.Probability(threshold, nameof(threshold));
        Probability = BatchChecks.Probability(probability, nameof(probability));
    }

    /// <summary>Intensity from which pixels are inverted.</summary>
    public double Threshold { get; }

    /// <summary>Chance that an image is solarized.</summary>
    public double Probability { get; }

    /// <inheritdoc/>
    public Tensor Apply(Tensor images, Generator generator)
    {
        BatchChecks.ImageBatch(images, nameof(RandomSolarize));
        using var scope = torch.NewDisposeScope();
        var apply = RandomDraws.Coin(generator, images.shape[0], Probability, images.device);
        return torch.where(apply & (images >= Threshold), 1 - images, images).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"RandomSolarize(threshold={Threshold:0.###}, p={Probability:0.###})");

    /// <inheritdoc/>
    public override string ToString() => Describe();
}
