using ContrastiveNotes.Augmentations;
using TorchSharp;

namespace ContrastiveNotes.Tests.Augmentations;

/// <summary>Crop, resize and blur against independent double-loop computations.</summary>
public class GeometryTests
{
    /// <summary>Crop-then-resize as PyTorch's bilinear upsampling (align_corners=false) defines it.</summary>
    private static double[][] CropResize(double[][] image, int top, int left, int height, int width, int size)
    {
        var output = new double[size][];
        for (int oy = 0; oy < size; oy++)
        {
            output[oy] = new double[size];
            var (y0, y1, ly) = Source(oy, height, size);
            for (int ox = 0; ox < size; ox++)
            {
                var (x0, x1, lx) = Source(ox, width, size);
                double Crop(int y, int x) => image[top + y][left + x];
                output[oy][ox] = (1 - ly) * ((1 - lx) * Crop(y0, x0) + lx * Crop(y0, x1)) + ly * ((1 - lx) * Crop(y1, x0) + lx * Crop(y1, x1));
            }
        }
        return output;
    }

    private static (int I0, int I1, double Lambda) Source(int destination, int inputLength, int outputLength)
    {
        double source = Math.Max(0, (destination + 0.5) * inputLength / outputLength - 0.5);
        int i0 = Math.Min((int)Math.Floor(source), inputLength - 1);
        int i1 = Math.Min(i0 + 1, inputLength - 1);
        return (i0, i1, source - i0);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    public void CropOfAKnownBoxEqualsBilinearCropThenResize(int size)
    {
        using var images = TestImages.Random(2, 2, 8, 9, seed: 11);
        var input = TestImages.ToArray(images);
        int[] top = { 1, 0 }, left = { 2, 3 }, height = { 5, 8 }, width = { 4, 6 };
        using var output = RandomResizedCrop.CropAndResize(images,
            torch.tensor(top.Select(v => (double)v).ToArray()), torch.tensor(left.Select(v => (double)v).ToArray()),
            torch.tensor(height.Select(v => (double)v).ToArray()), torch.tensor(width.Select(v => (double)v).ToArray()), size);
        var expected = Enumerable.Range(0, 2).Select(n => Enumerable.Range(0, 2).Select(c =>
            CropResize(input[n][c], top[n], left[n], height[n], width[n], size)).ToArray()).ToArray();
        TestImages.AssertClose(expected, output, 1e-5);
    }

    [Fact]
    public void SampledBoxesFitTheImageAndTheScaleAndRatioRanges()
    {
        var crop = new RandomResizedCrop(32, scale: (0.08, 1.0));
        using var generator = new torch.Generator(3);
        var (top, left, height, width) = crop.SampleBoxes(generator, 2000, 32, 32, torch.CPU);
        double[] t = top.data<double>().ToArray(), l = left.data<double>().ToArray(), h = height.data<double>().ToArray(), w = width.data<double>().ToArray();
        for (int i = 0; i < t.Length; i++)
        {
            Assert.True(h[i] >= 1 && w[i] >= 1 && t[i] >= 0 && l[i] >= 0 && t[i] + h[i] <= 32 && l[i] + w[i] <= 32, $"box {i}: {t[i]},{l[i]},{h[i]},{w[i]}");
            Assert.Equal(Math.Floor(t[i]), t[i]);
            // Before rounding to whole pixels the box had area in [0.08, 1] * 1024 and ratio in [3/4, 4/3].
            Assert.True((w[i] + 0.5) * (h[i] + 0.5) >= 0.08 * 1024 && (w[i] - 0.5) * (h[i] - 0.5) <= 1024, $"area of box {i}");
            Assert.True((w[i] + 0.5) / (h[i] - 0.5) >= 0.75 && (w[i] - 0.5) / (h[i] + 0.5) <= 4.0 / 3, $"ratio of box {i}");
        }
        Assert.True(h.Distinct().Count() > 10 && t.Distinct().Count() > 10, "boxes vary from image to image");
        double meanArea = h.Zip(w, (a, b) => a * b / 1024).Average();
        Assert.InRange(meanArea, 0.45, 0.62); // E[scale] = 0.54 for scale ~ U(0.08, 1)
    }

    [Fact]
    public void WhenNoAttemptFitsTheCentredFallbackBoxIsUsed()
    {
        // Ratio 2..3 on a square image with the whole area: width would exceed the image every time.
        var crop = new RandomResizedCrop(8, scale: (1.0, 1.0), ratio: (2.0, 3.0));
        using var generator = new torch.Generator(1);
        var (top, left, height, width) = crop.SampleBoxes(generator, 4, 10, 10, torch.CPU);
        Assert.All(height.data<double>().ToArray(), v => Assert.Equal(5, v)); // round(10 / 2)
        Assert.All(width.data<double>().ToArray(), v => Assert.Equal(10, v));
        Assert.All(top.data<double>().ToArray(), v => Assert.Equal(2, v)); // (10 - 5) // 2
        Assert.All(left.data<double>().ToArray(), v => Assert.Equal(0, v));
        Assert.Equal((10L, 13L), new RandomResizedCrop(8).FallbackBox(10, 40)); // wide image: width = round(10 * 4/3)
    }

    [Fact]
    public void GaussianBlurMatchesAHandBuiltSeparableKernelWithReflectPadding()
    {
        const int k = 5;
        const double sigma = 1.3;
        using var images = TestImages.Random(2, 3, 7, 8, seed: 12);
        var input = TestImages.ToArray(images);
        var kernel = Enumerable.Range(0, k).Select(i => Math.Exp(-0.5 * Math.Pow((i - k / 2) / sigma, 2))).ToArray();
        double total = kernel.Sum();
        kernel = kernel.Select(v => v / total).ToArray();
        static int Reflect(int i, int n) => i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
        var expected = input.Select(img => img.Select(channel => Enumerable.Range(0, 7).Select(y => Enumerable.Range(0, 8).Select(x =>
        {
            double sum = 0;
            for (int a = 0; a < k; a++)
                for (int b = 0; b < k; b++)
                    sum += kernel[a] * kernel[b] * channel[Reflect(y + a - k / 2, 7)][Reflect(x + b - k / 2, 8)];
            return sum;
        }).ToArray()).ToArray()).ToArray()).ToArray();

        using var generator = new torch.Generator(1);
        using var blurred = new GaussianBlur(k, (sigma, sigma), probability: 1).Apply(images, generator);
        TestImages.AssertClose(expected, blurred, 1e-5);
    }

    [Fact]
    public void GaussianBlurDrawsOneSigmaPerImage()
    {
        using var one = TestImages.Random(1, 3, 9, 9, seed: 13);
        using var images = one.expand(6, 3, 9, 9).contiguous();
        using var generator = new torch.Generator(2);
        using var blurred = new GaussianBlur(5, (0.1, 3.0), probability: 1).Apply(images, generator);
        var distinct = Enumerable.Range(0, 6).Select(i => Math.Round(blurred[i, 0, 4, 4].item<float>(), 5)).Distinct().Count();
        Assert.Equal(6, distinct);
    }
}
