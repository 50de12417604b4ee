using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Augmentations;

/// <summary>
/// Replaces an image by its luma (<c>0.2989 R + 0.587 G + 0.114 B</c>, repeated on the three channels)
/// with probability <see cref="Probability"/>, as torchvision's <c>RandomGrayscale</c>. On 1-channel
/// images it is a no-op (they are already gray).
/// </summary>
public sealed class RandomGrayscale : IBatchAugmentation
{
    /// <summary>Creates the op.</summary>
    /// <param name="probability">Chance that an image is turned gray.</param>
    public RandomGrayscale(double probability = 0.1) => Probability = BatchChecks.Probability(probability, nameof(probability));

    /// <summary>Chance that an image is turned gray.</summary>
    public double Probability { get; }

    /// <inheritdoc/>
    public Tensor Apply(Tensor images, Generator generator)
    {
        BatchChecks.GrayOrRgb(images, nameof(RandomGrayscale));
        using var scope = torch.NewDisposeScope();
        var apply = RandomDraws.Coin(generator, images.shape[0], Probability, images.device);
        if (images.shape[1] == 1) return images.alias().MoveToOuterDisposeScope();
        var gray = ColorFunctions.Grayscale(images).expand_as(images);
        return PerImageChoice.Select(apply, gray, images).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"RandomGrayscale(p={Probability:0.###}; no-op on 1-channel images)");

    /// <inheritdoc/>
    public override string ToString() => Describe();
}
