using static TorchSharp.torch;

namespace ContrastiveNotes.Augmentations;

/// <summary>Argument checks shared by the augmentations.</summary>
internal static class BatchChecks
{
    /// <summary>Throws unless <paramref name="images"/> is a floating-point <c>[batch, channels, height, width]</c> tensor.</summary>
    public static void ImageBatch(Tensor images, string operation)
    {
        if (images.dim() != 4 || !images.is_floating_point())
            throw new ArgumentException(
                $"{operation} expects floating-point images [batch, channels, height, width] in [0, 1], but got {images.dtype} " +
                $"{Shapes.Format(images)}. Convert uint8 images with images.to(torch.float32) / 255 and add a batch dimension with unsqueeze(0).",
                nameof(images));
    }

    /// <summary>Throws unless the batch has 1 or 3 channels (grayscale or RGB).</summary>
    public static void GrayOrRgb(Tensor images, string operation)
    {
        ImageBatch(images, operation);
        if (images.shape[1] is not (1 or 3))
            throw new ArgumentException(
                $"{operation} works on 1-channel (grayscale) or 3-channel (RGB) images, but the batch has {images.shape[1]} channels. " +
                "Apply colour operations before any channel change.", nameof(images));
    }

    /// <summary>Throws unless <paramref name="probability"/> is in [0, 1].</summary>
    public static double Probability(double probability, string name)
    {
        if (!(probability >= 0 && probability <= 1))
            throw new ArgumentOutOfRangeException(name, $"{name} must be a probability in [0, 1], but it is {probability}.");
        return probability;
    }

    /// <summary>Throws unless <c>0 &lt;= low &lt;= high</c>.</summary>
    public static (double Low, double High) Range((double Low, double High) range, string name, double minimum = 0)
    {
        if (!(range.Low >= minimum && range.Low <= range.High))
            throw new ArgumentOutOfRangeException(name, $"{name} must satisfy {minimum} <= low <= high, but it is ({range.Low}, {range.High}).");
        return range;
    }
}
