using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Augmentations;

/// <summary>
/// Randomly changes brightness, contrast, saturation and hue with torchvision's definitions
/// (<c>functional_tensor</c>): brightness blends with black, contrast with the image's mean luma,
/// saturation with its luma image, hue rotates the HSV hue. Each image draws its own factors
/// (brightness, contrast, saturation uniform in <c>[max(0, 1 - s), 1 + s]</c>, hue in <c>[-h, h]</c>) and
/// is jittered with probability <see cref="Probability"/> (SimCLR's <c>RandomApply(ColorJitter, p=0.8)</c>,
/// Chen et al. 2020, arXiv:2002.05709). The four operations run in a random order drawn ONCE PER BATCH
/// (torchvision draws one per image; over many batches the orders are equally mixed). On 1-channel images
/// saturation and hue are no-ops (torchvision returns gray images unchanged), so only brightness and
/// contrast act.
/// </summary>
public sealed class ColorJitter : IBatchAugmentation
{
    /// <summary>Creates the jitter.</summary>
    /// <param name="brightness">Strength s: factors in [max(0, 1 - s), 1 + s]; 0 disables.</param>
    /// <param name="contrast">Strength s: factors in [max(0, 1 - s), 1 + s]; 0 disables.</param>
    /// <param name="saturation">Strength s: factors in [max(0, 1 - s), 1 + s]; 0 disables.</param>
    /// <param name="hue">Strength h in [0, 0.5]: hue shifts (in turns) in [-h, h]; 0 disables.</param>
    /// <param name="probability">Chance that an image is jittered at all.</param>
    public ColorJitter(double brightness = 0, double contrast = 0, double saturation = 0, double hue = 0, double probability = 1.0)
    {
        foreach (var (value, name) in new[] { (brightness, nameof(brightness)), (contrast, nameof(contrast)), (saturation, nameof(saturation)) })
            if (!(value >= 0)) throw new ArgumentOutOfRangeException(name, $"{name} must be a non-negative strength, but it is {value}.");
        if (!(hue >= 0 && hue <= 0.5)) throw new ArgumentOutOfRangeException(nameof(hue), $"hue must lie in [0, 0.5] (half a turn), but it is {hue}.");
        Brightness = brightness;
        Contrast = contrast;
        Saturation = saturation;
        Hue = hue;
        Probability = BatchChecks.Probability(probability, nameof(probability));
    }

    /// <summary>Brightness strength.</summary>
    public double Brightness { get; }

    /// <summary>Contrast strength.</summary>
    public double Contrast { get; }

    /// <summary>Saturation strength (no-op on 1-channel images).</summary>
    public double Saturation { get; }

    /// <summary>Hue strength in turns (no-op on 1-channel images).</summary>
    public double Hue { get; }

    /// <summary>Chance that an image is jittered.</summary>
    public double Probability { get; }

    /// <inheritdoc/>
    public Tensor Apply(Tensor images, Generator generator)
    {
        BatchChecks.GrayOrRgb(images, nameof(ColorJitter));
        using var scope = torch.NewDisposeScope();
        long batch = images.shape[0];
        var device = images.device;
        long[] order = torch.randperm(4, device: generator.device, generator: generator).cpu().data<long>().ToArray();
        Tensor Factors(double strength) => RandomDraws.Uniform(generator, batch, Math.Max(0, 1 - strength), 1 + strength, device).view(batch, 1, 1, 1);
        var brightness = Factors(Brightness);
        var contrast = Factors(Contrast);
        var saturation = Factors(Saturation);
        var hue = RandomDraws.Uniform(generator, batch, -Hue, Hue, device).view(batch, 1, 1, 1);
        var apply = RandomDraws.Coin(generator, batch, Probability, device);

        var jittered = images;
        foreach (long operation in order)
        {
            // Each operation in its own scope, and the previous intermediate freed at once: the operations'
            // temporaries are batch-sized, and keeping them all alive until the end made glibc hand the memory
            // back to the system after every call and fault it in again on the next.
            using var operationScope = torch.NewDisposeScope();
            var next = operation switch
            {
                0 when Brightness > 0 => ColorFunctions.AdjustBrightness(jittered, brightness),
                1 when Contrast > 0 => ColorFunctions.AdjustContrast(jittered, contrast),
                2 when Saturation > 0 => ColorFunctions.AdjustSaturation(jittered, saturation),
                3 when Hue > 0 => ColorFunctions.AdjustHue(jittered, hue),
                _ => jittered,
            };
            if (ReferenceEquals(next, jittered)) continue;
            next.MoveToOuterDisposeScope();
            if (!ReferenceEquals(jittered, images)) jittered.Dispose();
            jittered = next;
        }
        return PerImageChoice.Select(apply, jittered, images).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public string Describe() => FormattableString.Invariant(
        $"ColorJitter(brightness={Brightness:0.###}, contrast={Contrast:0.###}, saturation={Saturation:0.###}, hue={Hue:0.###}, p={Probability:0.###}; ") +
        "random order per batch; saturation and hue are no-ops on 1-channel images)";

    /// <inheritdoc/>
    public override string ToString() => Describe();
}
