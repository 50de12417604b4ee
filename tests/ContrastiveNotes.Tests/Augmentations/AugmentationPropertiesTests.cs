using ContrastiveNotes.Augmentations;
using TorchSharp;

namespace ContrastiveNotes.Tests.Augmentations;

public class AugmentationPropertiesTests
{
    public static IEnumerable<object[]> Augmentations()
    {
        foreach (int channels in new[] { 1, 3 })
        {
            yield return new object[] { new RandomResizedCrop(12), channels, 12 };
            yield return new object[] { new RandomHorizontalFlip(), channels, 16 };
            yield return new object[] { new ColorJitter(0.4, 0.4, 0.4, 0.1, probability: 0.8), channels, 16 };
            yield return new object[] { new RandomGrayscale(0.5), channels, 16 };
            yield return new object[] { new GaussianBlur(3, probability: 0.5), channels, 16 };
            yield return new object[] { new RandomSolarize(0.5, 0.5), channels, 16 };
            yield return new object[] { AugmentationPresets.SimClr(14, channels), channels, 14 };
            yield return new object[] { AugmentationPresets.MoCoV2(14), channels, 14 };
        }
    }

    [Theory]
    [MemberData(nameof(Augmentations))]
    public void KeepsBatchChannelsDtypeAndUnitRange(IBatchAugmentation augmentation, int channels, int outputSize)
    {
        using var images = TestImages.Random(6, channels, 16, 16);
        using var generator = new torch.Generator(4);
        using var output = augmentation.Apply(images, generator);
        Assert.Equal(new long[] { 6, channels, outputSize, outputSize }, output.shape);
        Assert.Equal(torch.ScalarType.Float32, output.dtype);
        Assert.Equal(images.device.ToString(), output.device.ToString());
        Assert.True(output.min().item<float>() >= 0 && output.max().item<float>() <= 1, augmentation.Describe());
        Assert.False(string.IsNullOrWhiteSpace(augmentation.ToString()));
    }

    [Theory]
    [MemberData(nameof(Augmentations))]
    public void SameSeedGivesTheSameBatchAndImagesGetTheirOwnParameters(IBatchAugmentation augmentation, int channels, int outputSize)
    {
        using var one = TestImages.Random(1, channels, 16, 16, seed: 8);
        using var images = one.expand(16, channels, 16, 16).contiguous();
        using var first = augmentation.Apply(images, new torch.Generator(21));
        using var second = augmentation.Apply(images, new torch.Generator(21));
        Assert.Equal(first.data<float>().ToArray(), second.data<float>().ToArray());
        // Sixteen copies of one image: independent per-image parameters make the outputs differ.
        var distinct = Enumerable.Range(0, 16).Select(i => string.Join(",", first[i].data<float>().ToArray().Select(v => v.ToString("0.0000")))).Distinct().Count();
        if (augmentation is RandomGrayscale && channels == 1)
            Assert.Equal(1, distinct); // documented no-op on gray images
        else
            Assert.True(distinct > 1, $"{augmentation.Describe()} gave {distinct} distinct outputs for {outputSize}px");
    }

    public static IEnumerable<object[]> Identities() => new[]
    {
        new object[] { new ColorJitter() },
        new object[] { new ColorJitter(0.9, 0.9, 0.9, 0.5, probability: 0) },
        new object[] { new RandomResizedCrop(16, scale: (1.0, 1.0), ratio: (1.0, 1.0)) },
        new object[] { new RandomHorizontalFlip(0) },
        new object[] { new RandomGrayscale(0) },
        new object[] { new GaussianBlur(5, probability: 0) },
        new object[] { new RandomSolarize(0.5, 0) },
        new object[] { new Normalize(new[] { 0.0, 0.0, 0.0 }, new[] { 1.0, 1.0, 1.0 }) },
    };

    [Theory]
    [MemberData(nameof(Identities))]
    public void IdentityParametersGiveTheIdentity(IBatchAugmentation augmentation)
    {
        using var images = TestImages.Random(4, 3, 16, 16, seed: 9);
        using var output = augmentation.Apply(images, new torch.Generator(1));
        TestImages.AssertClose(TestImages.ToArray(images), output, 1e-6);
    }

    [Fact]
    public void FlipMirrorsColumnsAndTwiceIsTheIdentity()
    {
        using var images = TestImages.Random(3, 3, 4, 5, seed: 10);
        var flip = new RandomHorizontalFlip(1);
        using var once = flip.Apply(images, new torch.Generator(1));
        var input = TestImages.ToArray(images);
        var mirrored = input.Select(img => img.Select(ch => ch.Select(row => row.Reverse().ToArray()).ToArray()).ToArray()).ToArray();
        TestImages.AssertClose(mirrored, once, 0);
        using var twice = flip.Apply(once, new torch.Generator(2));
        TestImages.AssertClose(input, twice, 0);
    }

    [Fact]
    public void GrayscaleMakesEqualChannelsOfTheLuma()
    {
        using var images = TestImages.Random(2, 3, 3, 3, seed: 12);
        using var gray = new RandomGrayscale(1).Apply(images, new torch.Generator(1));
        var expected = TestImages.MapPixels(TestImages.ToArray(images), (_, p) => Enumerable.Repeat(0.2989 * p[0] + 0.587 * p[1] + 0.114 * p[2], 3).ToArray());
        TestImages.AssertClose(expected, gray, 1e-6);
    }

    [Fact]
    public void SolarizeInvertsPixelsAtOrAboveTheThreshold()
    {
        using var images = torch.tensor(new float[] { 0.1f, 0.5f, 0.49f, 0.9f }).view(1, 1, 2, 2);
        using var output = new RandomSolarize(0.5, 1).Apply(images, new torch.Generator(1));
        Assert.Equal(new[] { 0.1f, 0.5f, 0.49f, 1 - 0.9f }, output.data<float>().ToArray());
    }

    [Fact]
    public void NormalizeStandardisesEachChannel()
    {
        using var images = torch.tensor(new float[] { 0.5f, 1f, 0.2f, 0.8f }).view(1, 2, 1, 2);
        using var output = new Normalize(new[] { 0.5, 0.4 }, new[] { 0.25, 0.2 }).Apply(images, new torch.Generator(1));
        var expected = new[] { 0.0, 2.0, -1.0, 2.0 };
        Assert.All(expected.Zip(output.data<float>().ToArray()), p => Assert.Equal(p.First, p.Second, 5));
    }

    [Fact]
    public void ColorJitterOnOneImageIsABrightnessScaleWithinRange()
    {
        using var images = TestImages.Random(8, 3, 4, 4, seed: 14) * 0.5f;
        using var output = new ColorJitter(brightness: 0.4).Apply(images, new torch.Generator(5));
        var input = TestImages.ToArray(images);
        var got = TestImages.ToArray(output);
        var factors = new List<double>();
        for (int n = 0; n < 8; n++)
        {
            double factor = got[n][0][0][0] / input[n][0][0][0];
            Assert.InRange(factor, 0.6, 1.4);
            factors.Add(factor);
            var expected = new[] { input[n] }.Select(img => img.Select(ch => ch.Select(row => row.Select(v => Math.Min(1, factor * v)).ToArray()).ToArray()).ToArray()).ToArray();
            TestImages.AssertClose(expected, output[n..(n + 1)], 1e-5);
        }
        Assert.True(factors.Distinct().Count() == 8);
    }

    [Fact]
    public void ColorJitterIsTheFourFunctionsWithItsDrawsInTheDocumentedOrder()
    {
        // The random order, the per-image factors and the coins, redrawn from the same seed; the functions applied to
        // the whole batch in that order, and where() picking per image, must give ColorJitter's output bit for bit.
        using var scope = torch.NewDisposeScope();
        var images = TestImages.Random(60, 3, 32, 32, seed: 16);
        var jitter = new ColorJitter(0.4, 0.4, 0.4, 0.1, probability: 0.8);
        var output = jitter.Apply(images, new torch.Generator(21));

        var generator = new torch.Generator(21);   // the draws in ColorJitter's documented order
        long[] order = torch.randperm(4, generator: generator).data<long>().ToArray();
        var brightness = RandomDraws.Uniform(generator, 60, 0.6, 1.4, torch.CPU).view(60, 1, 1, 1);
        var contrast = RandomDraws.Uniform(generator, 60, 0.6, 1.4, torch.CPU).view(60, 1, 1, 1);
        var saturation = RandomDraws.Uniform(generator, 60, 0.6, 1.4, torch.CPU).view(60, 1, 1, 1);
        var hue = RandomDraws.Uniform(generator, 60, -0.1, 0.1, torch.CPU).view(60, 1, 1, 1);
        var apply = RandomDraws.Coin(generator, 60, 0.8, torch.CPU);
        var expected = images;
        foreach (long operation in order)
            expected = operation switch
            {
                0 => ColorFunctions.AdjustBrightness(expected, brightness),
                1 => ColorFunctions.AdjustContrast(expected, contrast),
                2 => ColorFunctions.AdjustSaturation(expected, saturation),
                _ => ColorFunctions.AdjustHue(expected, hue),
            };
        expected = torch.where(apply, expected, images);
        Assert.Equal(expected.data<float>().ToArray(), output.data<float>().ToArray());
    }

    [Fact]
    public void ColourOnlyOpsAreDocumentedNoOpsOnGrayImages()
    {
        using var images = TestImages.Random(4, 1, 6, 6, seed: 15);
        using var output = new ColorJitter(saturation: 0.9, hue: 0.5).Apply(images, new torch.Generator(1));
        TestImages.AssertClose(TestImages.ToArray(images), output, 0);
        using var gray = new RandomGrayscale(1).Apply(images, new torch.Generator(1));
        TestImages.AssertClose(TestImages.ToArray(images), gray, 0);
        Assert.Contains("no-op on 1-channel", new RandomGrayscale().Describe());
        Assert.Contains("no-ops on 1-channel", new ColorJitter(0.4, 0.4, 0.4, 0.1).Describe());
    }

    [Fact]
    public void PresetsUseThePublishedParameters()
    {
        var simclr = AugmentationPresets.SimClr(32, 3).Describe();
        Assert.Contains("RandomResizedCrop(size=32, scale=(0.08, 1)", simclr);
        Assert.Contains("ColorJitter(brightness=0.4, contrast=0.4, saturation=0.4, hue=0.1, p=0.8", simclr);
        Assert.Contains("RandomGrayscale(p=0.2", simclr);
        Assert.DoesNotContain("GaussianBlur", simclr);
        var gray = AugmentationPresets.SimClr(28, 1).Describe();
        Assert.Contains("scale=(0.2, 1)", gray);
        Assert.Contains("saturation=0, hue=0", gray);
        var moco = AugmentationPresets.MoCoV2(32).Describe();
        Assert.Contains("scale=(0.2, 1)", moco);
        Assert.Contains("GaussianBlur(kernel=3, sigma=(0.1, 2), p=0.5)", moco);
        Assert.Contains("RandomHorizontalFlip(p=0.5)", moco);
        Assert.Equal(23, AugmentationPresets.BlurKernelSize(224));
    }

    [Fact]
    public void MultiViewMakesIndependentViews()
    {
        using var images = TestImages.Random(4, 3, 16, 16, seed: 16);
        var views = MultiView.Make(AugmentationPresets.SimClr(16), images, 3, new torch.Generator(7));
        Assert.Equal(3, views.Length);
        Assert.NotEqual(views[0].data<float>().ToArray(), views[1].data<float>().ToArray());
        Assert.NotEqual(views[1].data<float>().ToArray(), views[2].data<float>().ToArray());
        foreach (var view in views) view.Dispose();
    }

    [Fact]
    public void Uint8InputIsRejectedWithAHint()
    {
        using var images = torch.zeros(2, 3, 8, 8, torch.ScalarType.Byte);
        var e = Assert.Throws<ArgumentException>(() => new RandomHorizontalFlip().Apply(images, new torch.Generator(1)));
        Assert.Contains("floating-point", e.Message);
        Assert.Contains("Byte", e.Message);
    }
}
