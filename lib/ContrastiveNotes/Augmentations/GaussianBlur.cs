using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Augmentations;

/// <summary>
/// Blurs each image with probability <see cref="Probability"/> by a Gaussian kernel of
/// <see cref="KernelSize"/> taps whose standard deviation is drawn per image from <see cref="Sigma"/>
/// (torchvision's <c>GaussianBlur</c>: taps at <c>-(k-1)/2 .. (k-1)/2</c>, normalised, reflect padding;
/// used by SimCLR on ImageNet and MoCo v2, Chen et al. 2020, arXiv:2003.04297). The 2-D kernel is
/// separable, so it is applied as a horizontal then a vertical grouped convolution, one kernel per image.
/// </summary>
public sealed class GaussianBlur : IBatchAugmentation
{
    /// <summary>Creates the blur.</summary>
    /// <param name="kernelSize">Odd number of taps (e.g. about 10% of the image size).</param>
    /// <param name="sigma">Range of the per-image standard deviation in pixels; null means (0.1, 2.0).</param>
    /// <param name="probability">Chance that an image is blurred.</param>
    public GaussianBlur(int kernelSize, (double Low, double High)? sigma = null, double probability = 1.0)
    {
        if (kernelSize < 1 || kernelSize % 2 == 0)
            throw new ArgumentOutOfRangeException(nameof(kernelSize), $"kernelSize must be a positive odd number, but it is {kernelSize}.");
        KernelSize = kernelSize;
        Sigma = BatchChecks.Range(sigma ?? (0.1, 2.0), nameof(sigma), minimum: 1e-6);
        Probability = BatchChecks.Probability(probability, nameof(probability));
    }

    /// <summary>Number of taps of the kernel.</summary>
    public int KernelSize { get; }

    /// <summary>Range of the per-image standard deviation in pixels.</summary>
    public (double Low, double High) Sigma { get; }

    /// <summary>Chance that an image is blurred.</summary>
    public double Probability { get; }

    /// <inheritdoc/>
    public Tensor Apply(Tensor images, Generator generator)
    {
        BatchChecks.ImageBatch(images, nameof(GaussianBlur));
        long batch = images.shape[0], channels = images.shape[1], height = images.shape[2], width = images.shape[3];
        int half = KernelSize / 2;
        if (half >= height || half >= width)
            throw new ArgumentException(
                $"GaussianBlur with kernelSize {KernelSize} needs images larger than {half} pixels for reflect padding, but they are {height}x{width}. " +
                "Use a smaller kernel.", nameof(images));
        using var scope = torch.NewDisposeScope();
        var sigma = RandomDraws.Uniform(generator, batch, Sigma.Low, Sigma.High, images.device, images.dtype);
        var apply = RandomDraws.Coin(generator, batch, Probability, images.device);
        var kernels = Kernels(sigma, KernelSize).repeat_interleave(channels, 0);
        var padded = nn.functional.pad(images, new long[] { half, half, half, half }, PaddingModes.Reflect)
            .reshape(1, batch * channels, height + 2 * half, width + 2 * half);
        var rows = nn.functional.conv2d(padded, kernels.view(batch * channels, 1, 1, KernelSize), groups: batch * channels);
        var blurred = nn.functional.conv2d(rows, kernels.view(batch * channels, 1, KernelSize, 1), groups: batch * channels)
            .view(batch, channels, height, width);
        return PerImageChoice.Select(apply, blurred, images).MoveToOuterDisposeScope();
    }

    /// <summary>Normalised 1-D Gaussian kernels <c>[batch, kernelSize]</c>, one per sigma.</summary>
    internal static Tensor Kernels(Tensor sigma, int kernelSize)
    {
        double half = (kernelSize - 1) * 0.5;
        var x = torch.linspace(-half, half, kernelSize, sigma.dtype, sigma.device).view(1, kernelSize);
        var pdf = torch.exp(-0.5 * (x / sigma.view(-1, 1)).pow(2));
        return pdf / pdf.sum(1, keepdim: true);
    }

    /// <inheritdoc/>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"GaussianBlur(kernel={KernelSize}, sigma=({Sigma.Low:0.###}, {Sigma.High:0.###}), p={Probability:0.###})");

    /// <inheritdoc/>
    public override string ToString() => Describe();
}
