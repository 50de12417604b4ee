namespace ContrastiveNotes.Augmentations;

/// <summary>The augmentation pipelines of the papers the course reproduces, with their published parameters.</summary>
public static class AugmentationPresets
{
    /// <summary>
    /// SimCLR's pipeline (Chen et al. 2020, arXiv:2002.05709, appendix A and B.9).
    /// <para>Colour (<paramref name="channels"/> = 3): random resized crop to <paramref name="size"/> with
    /// scale (0.08, 1), horizontal flip p=0.5, colour jitter (0.4, 0.4, 0.4, 0.1) = strength s=0.5 applied with
    /// p=0.8, grayscale p=0.2. Gaussian blur (p=0.5, kernel about 10% of the size, sigma (0.1, 2)) only for
    /// images larger than 32 pixels: the paper drops it for CIFAR-10.</para>
    /// <para>Grayscale (<paramref name="channels"/> = 1, e.g. Fashion-MNIST 28x28): crop scale (0.2, 1), flip,
    /// brightness and contrast jitter 0.4 with p=0.8. A 28-pixel image cropped to 8% of its area keeps only
    /// about 8x8 source pixels, which often removes the object altogether, so the smallest crop is 20% (as
    /// MoCo v2 uses); saturation, hue and grayscale do nothing on gray images and are left out.</para>
    /// </summary>
    public static Compose SimClr(int size, int channels = 3)
    {
        if (channels == 1)
            return new Compose(
                new RandomResizedCrop(size, scale: (0.2, 1.0)),
                new RandomHorizontalFlip(0.5),
                new ColorJitter(brightness: 0.4, contrast: 0.4, probability: 0.8));
        if (channels != 3)
            throw new ArgumentOutOfRangeException(nameof(channels), $"channels must be 1 (grayscale) or 3 (RGB), but it is {channels}.");
        var steps = new List<IBatchAugmentation>
        {
            new RandomResizedCrop(size, scale: (0.08, 1.0)),
            new RandomHorizontalFlip(0.5),
            new ColorJitter(0.4, 0.4, 0.4, 0.1, probability: 0.8),
            new RandomGrayscale(0.2),
        };
        if (size > 32) steps.Add(new GaussianBlur(BlurKernelSize(size), (0.1, 2.0), probability: 0.5));
        return new Compose(steps.ToArray());
    }

    /// <summary>
    /// MoCo v2's pipeline (Chen, Fan, Girshick &amp; He 2020, arXiv:2003.04297): random resized crop with
    /// scale (0.2, 1), colour jitter (0.4, 0.4, 0.4, 0.1) with p=0.8, grayscale p=0.2, Gaussian blur with
    /// sigma (0.1, 2) and p=0.5 (kernel about 10% of the size, at least 3 taps), horizontal flip p=0.5.
    /// </summary>
    public static Compose MoCoV2(int size) => new(
        new RandomResizedCrop(size, scale: (0.2, 1.0)),
        new ColorJitter(0.4, 0.4, 0.4, 0.1, probability: 0.8),
        new RandomGrayscale(0.2),
        new GaussianBlur(BlurKernelSize(size), (0.1, 2.0), probability: 0.5),
        new RandomHorizontalFlip(0.5));

    /// <summary>An odd kernel of about 10% of the image size (SimCLR's choice), at least 3 taps.</summary>
    public static int BlurKernelSize(int size)
    {
        int kernel = Math.Max(3, (int)Math.Round(0.1 * size));
        return kernel % 2 == 1 ? kernel : kernel + 1;
    }
}
