using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Augmentations;

/// <summary>Mirrors each image left-right with probability <see cref="Probability"/> (independently per image).</summary>
public sealed class RandomHorizontalFlip : IBatchAugmentation
{
    /// <summary>Creates the flip.</summary>
    /// <param name="probability">Chance that an image is flipped.</param>
    public RandomHorizontalFlip(double probability = 0.5) => Probability = BatchChecks.Probability(probability, nameof(probability));

    /// <summary>Chance that an image is flipped.</summary>
    public double Probability { get; }

    /// <inheritdoc/>
    public Tensor Apply(Tensor images, Generator generator)
    {
        BatchChecks.ImageBatch(images, nameof(RandomHorizontalFlip));
        using var scope = torch.NewDisposeScope();
        var flip = RandomDraws.Coin(generator, images.shape[0], Probability, images.device);
        return PerImageChoice.Select(flip, images.flip(3), images).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"RandomHorizontalFlip(p={Probability:0.###})");

    /// <inheritdoc/>
    public override string ToString() => Describe();
}
