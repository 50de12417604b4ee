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

    /// <summary>Rotates the hue by <paramref name="factor"/> turns (in [-0.5, 0.5]); no-op on 1-channel images.</summary>
    public static Tensor AdjustHue(Tensor images, Tensor factor)
    {
        if (images.shape[1] == 1) return images;
        var hsv = RgbToHsv(images).unbind(1);
        var hue = (hsv[0] + factor.view(-1, 1, 1)).remainder(1.0);
        return HsvToRgb(hue, hsv[1], hsv[2]);
    }

    /// <summary>torchvision's <c>_rgb2hsv</c>: <c>[B, 3, H, W]</c> RGB to HSV with hue in [0, 1).</summary>
    public static Tensor RgbToHsv(Tensor images)
    {
        var rgb = images.unbind(1);
        Tensor r = rgb[0], g = rgb[1], b = rgb[2];
        var maxc = images.amax(new long[] { 1 });
        var minc = images.amin(new long[] { 1 });
        var equal = maxc == minc;
        var chroma = maxc - minc;
        var ones = torch.ones_like(maxc);
        var saturation = chroma / torch.where(equal, ones, maxc);
        var divisor = torch.where(equal, ones, chroma);
        var rc = (maxc - r) / divisor;
        var gc = (maxc - g) / divisor;
        var bc = (maxc - b) / divisor;
        var isRed = maxc == r;
        var isGreen = (maxc == g) & ~isRed;
        var isBlue = ~(maxc == g) & ~isRed;
        var hue = isRed * (bc - gc) + isGreen * (2.0 + rc - bc) + isBlue * (4.0 + gc - rc);
        hue = torch.fmod(hue / 6.0 + 1.0, 1.0);
        return torch.stack(new[] { hue, saturation, maxc }, 1);
    }

    /// <summary>torchvision's <c>_hsv2rgb</c>: hue, saturation, value <c>[B, H, W]</c> to RGB <c>[B, 3, H, W]</c>.</summary>
    public static Tensor HsvToRgb(Tensor hue, Tensor saturation, Tensor value)
    {
        var sector = torch.floor(hue * 6.0);
        var fraction = hue * 6.0 - sector;
        var p = (value * (1.0 - saturation)).clamp(0, 1);
        var q = (value * (1.0 - saturation * fraction)).clamp(0, 1);
        var t = (value * (1.0 - saturation * (1.0 - fraction))).clamp(0, 1);
        var index = sector.to(ScalarType.Int64).remainder(6).unsqueeze(1);
        var oneHot = (index == torch.arange(6, device: hue.device).view(1, 6, 1, 1)).to(hue.dtype);
        Tensor Pick(params Tensor[] bySector) => (oneHot * torch.stack(bySector, 1)).sum(1);
        return torch.stack(new[] { Pick(value, q, p, p, t, value), Pick(t, value, value, q, p, p), Pick(p, p, t, value, value, q) }, 1);
    }
}
