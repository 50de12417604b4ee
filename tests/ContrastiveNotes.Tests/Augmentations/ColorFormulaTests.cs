using ContrastiveNotes.Augmentations;
using TorchSharp;

namespace ContrastiveNotes.Tests.Augmentations;

/// <summary>The colour functions against torchvision's published formulas, written out as plain double code.</summary>
public class ColorFormulaTests
{
    private static readonly double[] Factors = { 0.6, 1.35 };

    private static torch.Tensor FactorTensor(params double[] values) => torch.tensor(values.Select(v => (float)v).ToArray()).view(-1, 1, 1, 1);

    private static double Clamp(double v) => Math.Clamp(v, 0, 1);

    private static double Luma(double[] rgb) => 0.2989 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];

    [Fact]
    public void BrightnessScalesAndClamps()
    {
        using var images = TestImages.Random(2, 3, 3, 4);
        var expected = TestImages.MapPixels(TestImages.ToArray(images), (n, p) => p.Select(v => Clamp(Factors[n] * v)).ToArray());
        TestImages.AssertClose(expected, ColorFunctions.AdjustBrightness(images, FactorTensor(Factors)));
    }

    [Fact]
    public void ContrastBlendsWithTheMeanLumaOfEachImage()
    {
        using var images = TestImages.Random(2, 3, 3, 4, seed: 2);
        var input = TestImages.ToArray(images);
        var means = input.Select(img => Enumerable.Range(0, 3).SelectMany(y => Enumerable.Range(0, 4).Select(x => Luma(img.Select(ch => ch[y][x]).ToArray()))).Average()).ToArray();
        var expected = TestImages.MapPixels(input, (n, p) => p.Select(v => Clamp(Factors[n] * v + (1 - Factors[n]) * means[n])).ToArray());
        TestImages.AssertClose(expected, ColorFunctions.AdjustContrast(images, FactorTensor(Factors)));
    }

    [Fact]
    public void ContrastOnGrayImagesBlendsWithTheirMean()
    {
        using var images = TestImages.Random(2, 1, 3, 3, seed: 3);
        var input = TestImages.ToArray(images);
        var means = input.Select(img => img[0].SelectMany(row => row).Average()).ToArray();
        var expected = TestImages.MapPixels(input, (n, p) => new[] { Clamp(Factors[n] * p[0] + (1 - Factors[n]) * means[n]) });
        TestImages.AssertClose(expected, ColorFunctions.AdjustContrast(images, FactorTensor(Factors)));
    }

    [Fact]
    public void SaturationBlendsWithThePixelsLuma()
    {
        using var images = TestImages.Random(2, 3, 2, 3, seed: 4);
        var expected = TestImages.MapPixels(TestImages.ToArray(images), (n, p) => p.Select(v => Clamp(Factors[n] * v + (1 - Factors[n]) * Luma(p))).ToArray());
        TestImages.AssertClose(expected, ColorFunctions.AdjustSaturation(images, FactorTensor(Factors)));
    }

    [Fact]
    public void HandComputedPixels()
    {
        // (0.8, 0.4, 0.2): luma = 0.2989*0.8 + 0.587*0.4 + 0.114*0.2 = 0.49672.
        using var pixel = torch.tensor(new float[] { 0.8f, 0.4f, 0.2f }).view(1, 3, 1, 1);
        using var half = FactorTensor(0.5);
        Assert.Equal(new[] { 0.4f, 0.2f, 0.1f }, ColorFunctions.AdjustBrightness(pixel, half).data<float>().ToArray());
        var saturated = ColorFunctions.AdjustSaturation(pixel, half).data<float>().ToArray();
        Assert.Equal(new[] { 0.64836, 0.44836, 0.34836 }, saturated.Select(v => Math.Round(v, 5)));
        // Hue of (0.8, 0.4, 0.2) is 20 degrees; +1/3 turn gives 140 degrees with the same S and V: (0.2, 0.8, 0.4).
        var rotated = ColorFunctions.AdjustHue(pixel, FactorTensor(1.0 / 3)).data<float>().ToArray();
        Assert.Equal(new[] { 0.2, 0.8, 0.4 }, rotated.Select(v => Math.Round(v, 5)));
    }

    [Fact]
    public void HueShiftMatchesColorsysHsvRoundTrip()
    {
        using var images = TestImages.Random(3, 3, 4, 4, seed: 5);
        double[] shifts = { 0.1, -0.45, 0.3 };
        var expected = TestImages.MapPixels(TestImages.ToArray(images), (n, p) =>
        {
            var (h, s, v) = RgbToHsv(p[0], p[1], p[2]);
            return HsvToRgb(((h + shifts[n]) % 1.0 + 1.0) % 1.0, s, v);
        });
        TestImages.AssertClose(expected, ColorFunctions.AdjustHue(images, FactorTensor(shifts)), 2e-5);
    }

    [Fact]
    public void HueShiftFollowsColorsysOnTiedMaximaGrayPixelsAndTheCubesCorners()
    {
        // Every pixel with channels in {0, 0.25, 0.5, 0.75, 1} (125 of them): ties for the maximum (red = green,
        // green = blue, all three), gray pixels, black, white and pure colours, where the HSV sector is decided by
        // the red-green-blue priority.
        float[] levels = { 0f, 0.25f, 0.5f, 0.75f, 1f };
        var pixels = (from r in levels from g in levels from b in levels select new[] { r, g, b }).ToArray();
        var data = new float[3 * pixels.Length];
        for (int i = 0; i < pixels.Length; i++) for (int c = 0; c < 3; c++) data[c * pixels.Length + i] = pixels[i][c];
        double[] shifts = { 0.1, -0.37, 0.5 };
        using var image = torch.tensor(data).view(1, 3, 1, pixels.Length);
        using var images = image.expand(3, 3, 1, pixels.Length).contiguous();
        var expected = TestImages.MapPixels(TestImages.ToArray(images), (n, p) =>
        {
            var (h, s, v) = RgbToHsv(p[0], p[1], p[2]);
            return HsvToRgb(((h + shifts[n]) % 1.0 + 1.0) % 1.0, s, v);
        });
        TestImages.AssertClose(expected, ColorFunctions.AdjustHue(images, FactorTensor(shifts)), 2e-6);
    }

    [Fact]
    public void AFullTurnOfHueIsTheIdentity()
    {
        using var images = TestImages.Random(4, 3, 5, 5, seed: 6);
        using var turned = ColorFunctions.AdjustHue(images, FactorTensor(1, 1, 1, 1));
        TestImages.AssertClose(TestImages.ToArray(images), turned, 2e-6);
        using var twoHalves = ColorFunctions.AdjustHue(ColorFunctions.AdjustHue(images, FactorTensor(0.5, 0.5, 0.5, 0.5)), FactorTensor(0.5, 0.5, 0.5, 0.5));
        TestImages.AssertClose(TestImages.ToArray(images), twoHalves, 2e-6);
    }

    [Fact]
    public void SaturationAndHueLeaveGrayImagesUnchanged()
    {
        using var images = TestImages.Random(2, 1, 3, 3, seed: 7);
        var input = TestImages.ToArray(images);
        TestImages.AssertClose(input, ColorFunctions.AdjustSaturation(images, FactorTensor(0.2, 1.8)), 0);
        TestImages.AssertClose(input, ColorFunctions.AdjustHue(images, FactorTensor(0.2, -0.3)), 0);
    }

    // Python's colorsys, transcribed.
    private static (double H, double S, double V) RgbToHsv(double r, double g, double b)
    {
        double max = Math.Max(r, Math.Max(g, b)), min = Math.Min(r, Math.Min(g, b));
        if (max == min) return (0, 0, max);
        double s = (max - min) / max, rc = (max - r) / (max - min), gc = (max - g) / (max - min), bc = (max - b) / (max - min);
        double h = r == max ? bc - gc : g == max ? 2 + rc - bc : 4 + gc - rc;
        return (((h / 6) % 1 + 1) % 1, s, max);
    }

    private static double[] HsvToRgb(double h, double s, double v)
    {
        if (s == 0) return new[] { v, v, v };
        int i = (int)(h * 6);
        double f = h * 6 - i, p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
        return (i % 6) switch
        {
            0 => new[] { v, t, p },
            1 => new[] { q, v, p },
            2 => new[] { p, v, t },
            3 => new[] { p, q, v },
            4 => new[] { t, p, v },
            _ => new[] { v, p, q },
        };
    }
}
