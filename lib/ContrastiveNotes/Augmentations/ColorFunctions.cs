using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Augmentations;

/// <summary>
/// Batched versions of torchvision's colour functions (<c>torchvision.transforms.functional_tensor</c>):
/// every factor is a <c>[batch, 1, 1, 1]</c> tensor so each image gets its own value.
/// </summary>
internal static class ColorFunctions
{
    /// <summary>ITU-R 601-2 luma weights used by torchvision's <c>rgb_to_grayscale</c>.</summary>
    public const double RedWeight = 0.2989, GreenWeight = 0.587, BlueWeight = 0.114;

    /// <summary><c>[B, 3, H, W]</c> to luma <c>[B, 1, H, W]</c>; 1-channel input is returned as is.</summary>
    public static Tensor Grayscale(Tensor images)
    {
        if (images.shape[1] == 1) return images;
        var channels = images.unbind(1);
        return (RedWeight * channels[0] + GreenWeight * channels[1] + BlueWeight * channels[2]).unsqueeze(1);
    }

    /// <summary><c>clamp(ratio * a + (1 - ratio) * b, 0, 1)</c>.</summary>
    public static Tensor Blend(Tensor a, Tensor b, Tensor ratio) => (ratio * a + (1 - ratio) * b).clamp(0, 1);

    /// <summary>Blend with black: scales intensities by <paramref name="factor"/>.</summary>
    public static Tensor AdjustBrightness(Tensor images, Tensor factor) => (factor * images).clamp(0, 1);

    /// <summary>Blend with the image's mean gray level.</summary>
    public static Tensor AdjustContrast(Tensor images, Tensor factor)
    {
        var mean = Grayscale(images).mean(new long[] { 1, 2, 3 }, keepdim: true);
        return Blend(images, mean, factor);
    }

    /// <summary>Blend with the image's grayscale version; no-op on 1-channel images.</summary>
    public static Tensor AdjustSaturation(Tensor images, Tensor factor) =>
        images.shape[1] == 1 ? images : Blend(images, Grayscale(images), factor);

    /// <summary>
    /// Rotates the hue by <paramref name="factor"/> turns (in [-0.5, 0.5]); no-op on 1-channel images.
    /// Same result as torchvision's <c>adjust_hue</c> (RGB to HSV, shift, HSV to RGB) computed in fewer
    /// passes: with <c>v = max</c> and <c>c = max - min</c>, the hue in sixths is
    /// <c>h6 = 2 i + (next - previous) / c</c> for the first channel <c>i</c> holding the maximum (torchvision's
    /// red, green, blue priority), and the output channel n (5, 3, 1 for R, G, B) is
    /// <c>v - c clamp(min(k, 4 - k), 0, 1)</c> with <c>k = (n + h6 + 6 factor) mod 6</c>, the branch-free
    /// form of the six-sector HSV to RGB conversion.
    /// </summary>
    public static Tensor AdjustHue(Tensor images, Tensor factor)
    {
        if (images.shape[1] == 1) return images;
        var (max, argmax) = images.max(1, keepdim: true);
        var chroma = max - images.amin(new long[] { 1 }, keepdim: true);
        var divisor = torch.where(chroma == 0, torch.ones_like(chroma), chroma);
        // Channel i's candidate hue (in sixths) if it holds the maximum: 2i + (channel i+1 - channel i+2) / c.
        var candidates = (images.roll(-1, 1) - images.roll(-2, 1)) / divisor + SectorStarts(images);
        var hueSixths = candidates.gather(1, argmax);
        var k = (OutputOffsets(images) + (hueSixths + 6 * factor)).remainder(6.0);
        return max - chroma * torch.minimum(k, 4.0 - k).clamp(0, 1);
    }

    private static Tensor SectorStarts(Tensor like) => torch.tensor(new[] { 0f, 2f, 4f }, like.dtype, like.device).view(1, 3, 1, 1);

    private static Tensor OutputOffsets(Tensor like) => torch.tensor(new[] { 5f, 3f, 1f }, like.dtype, like.device).view(1, 3, 1, 1);
}
