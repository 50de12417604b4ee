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
    public static Tensor Grayscale(Tensor images) =>
        images.shape[1] == 1 ? images : (images * LumaWeights(images)).sum(1, keepdim: true);

    /// <summary>The luma weights as <c>[1, 3, 1, 1]</c> on the images' device and dtype.</summary>
    private static Tensor LumaWeights(Tensor like) =>
        torch.tensor(new[] { RedWeight, GreenWeight, BlueWeight }, like.dtype, like.device).view(1, 3, 1, 1);

    /// <summary><c>clamp(ratio * a + (1 - ratio) * b, 0, 1)</c>, computed as the single pass <c>lerp(b, a, ratio)</c>.</summary>
    public static Tensor Blend(Tensor a, Tensor b, Tensor ratio) => torch.lerp(b.expand_as(a), a, ratio).clamp_(0, 1);

    /// <summary>Blend with black: scales intensities by <paramref name="factor"/>.</summary>
    public static Tensor AdjustBrightness(Tensor images, Tensor factor) => (factor * images).clamp_(0, 1);

    /// <summary>Blend with the image's mean gray level.</summary>
    public static Tensor AdjustContrast(Tensor images, Tensor factor)
    {
        // The mean of the luma image is the luma of the channel means (the weights are linear).
        var channelMeans = images.mean(new long[] { 2, 3 }, keepdim: true);
        var mean = images.shape[1] == 1 ? channelMeans : (channelMeans * LumaWeights(images)).sum(1, keepdim: true);
        // Blend with a per-image constant: two broadcast passes (lerp is slower with a broadcast start).
        return (factor * images).add_((1 - factor) * mean).clamp_(0, 1);
    }

    /// <summary>Blend with the image's grayscale version; no-op on 1-channel images.</summary>
    public static Tensor AdjustSaturation(Tensor images, Tensor factor) =>
        images.shape[1] == 1 ? images : Blend(images, Grayscale(images), factor);

    /// <summary>
    /// Rotates the hue by <paramref name="factor"/> turns (in [-0.5, 0.5]); no-op on 1-channel images.
    /// Same result as torchvision's <c>adjust_hue</c> (RGB to HSV, shift, HSV to RGB), computed in fewer
    /// passes. With <c>c = max - min</c>, the hue in sixths is <c>(g - b) / c</c>, <c>2 + (b - r) / c</c> or
    /// <c>4 + (r - g) / c</c> when red, else green, else blue holds the maximum (torchvision's priority),
    /// and the six-sector HSV-to-RGB conversion in branch-free form gives output channel n (5, 3, 1 for
    /// R, G, B) as <c>min + c clamp(|k - 2| - 1, 0, 1)</c> with <c>k = (n + hue6 + 6 factor) mod 6</c>.
    /// </summary>
    public static Tensor AdjustHue(Tensor images, Tensor factor)
    {
        if (images.shape[1] == 1) return images;
        Tensor r = images.narrow(1, 0, 1), g = images.narrow(1, 1, 1), b = images.narrow(1, 2, 1);
        var max = images.amax(new long[] { 1 }, keepdim: true);
        var min = images.amin(new long[] { 1 }, keepdim: true);
        var chroma = max - min;
        // Where c = 0 all channels are equal, the numerators below are 0 and any positive divisor gives hue 0.
        var divisor = chroma.clamp_min(1e-12);
        var hueSixths = torch.where(r == max, (g - b) / divisor,
            torch.where(g == max, (b - r) / divisor + 2.0, (r - g) / divisor + 4.0));
        // k mod 6 as k - 6 floor(k / 6) (cheaper than fmod); adding 12 keeps k positive.
        var k = OutputOffsets(images) + hueSixths.add_(6 * factor + 12.0);
        k.sub_(k.div(6.0).floor_().mul_(6.0));
        return k.sub_(2.0).abs_().sub_(1.0).clamp_(0, 1).mul_(chroma).add_(min);
    }

    private static Tensor OutputOffsets(Tensor like) => torch.tensor(new[] { 5f, 3f, 1f }, like.dtype, like.device).view(1, 3, 1, 1);
}
