using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Augmentations;

/// <summary>
/// Crops a random box of every image and resizes it to <c>size x size</c> (bilinear), the main
/// augmentation of SimCLR (Chen et al. 2020, arXiv:2002.05709). Boxes follow torchvision's
/// <c>RandomResizedCrop.get_params</c>: up to 10 attempts of an area fraction uniform in
/// <see cref="Scale"/> and an aspect ratio log-uniform in <see cref="Ratio"/>, the first box that fits
/// is placed uniformly at random, and when none fits a centred box clamped to the ratio range is used.
/// All boxes of the batch are drawn and sampled at once (one <c>grid_sample</c>); the sampling equals
/// torchvision's crop followed by bilinear <c>resize</c> without antialiasing (the tensor default of
/// torchvision before 0.17).
/// </summary>
public sealed class RandomResizedCrop : IBatchAugmentation
{
    private const int Attempts = 10;

    /// <summary>Creates the crop.</summary>
    /// <param name="size">Output height and width.</param>
    /// <param name="scale">Range of the box's area as a fraction of the image's area.</param>
    /// <param name="ratio">Range of the box's width/height ratio; null means (3/4, 4/3).</param>
    public RandomResizedCrop(int size, (double Low, double High)? scale = null, (double Low, double High)? ratio = null)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), $"size must be at least 1 pixel, but it is {size}.");
        Size = size;
        Scale = BatchChecks.Range(scale ?? (0.08, 1.0), nameof(scale));
        Ratio = BatchChecks.Range(ratio ?? (3.0 / 4.0, 4.0 / 3.0), nameof(ratio));
        if (Scale.High > 1 || Ratio.Low <= 0)
            throw new ArgumentOutOfRangeException(nameof(scale),
                $"scale must lie in [0, 1] and ratio must be positive, but scale is ({Scale.Low}, {Scale.High}) and ratio ({Ratio.Low}, {Ratio.High}).");
    }

    /// <summary>Output height and width in pixels.</summary>
    public int Size { get; }

    /// <summary>Range of the crop's area fraction.</summary>
    public (double Low, double High) Scale { get; }

    /// <summary>Range of the crop's aspect ratio (width / height).</summary>
    public (double Low, double High) Ratio { get; }

    /// <inheritdoc/>
    public Tensor Apply(Tensor images, Generator generator)
    {
        BatchChecks.ImageBatch(images, nameof(RandomResizedCrop));
        using var scope = torch.NewDisposeScope();
        var (top, left, height, width) = SampleBoxes(generator, images.shape[0], images.shape[2], images.shape[3], images.device);
        return CropAndResize(images, top, left, height, width, Size).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Draws one box per image with torchvision's rules; returns <c>float64</c> <c>[batch]</c> tensors of
    /// the box's top row, left column, height and width in pixels (integers).
    /// </summary>
    internal (Tensor Top, Tensor Left, Tensor Height, Tensor Width) SampleBoxes(Generator generator, long batch, long imageHeight, long imageWidth, Device device)
    {
        var draw = generator.device;
        double area = imageHeight * imageWidth;
        var targetArea = area * (torch.rand(new[] { batch, Attempts }, ScalarType.Float64, draw, generator: generator) * (Scale.High - Scale.Low) + Scale.Low);
        double logLow = Math.Log(Ratio.Low), logHigh = Math.Log(Ratio.High);
        var aspect = torch.exp(torch.rand(new[] { batch, Attempts }, ScalarType.Float64, draw, generator: generator) * (logHigh - logLow) + logLow);
        var width = torch.round(torch.sqrt(targetArea * aspect));
        var height = torch.round(torch.sqrt(targetArea / aspect));
        var fits = (width > 0) & (width <= imageWidth) & (height > 0) & (height <= imageHeight);
        // Index of the first attempt that fits: the largest of fits * (Attempts - attempt).
        var firstFit = (fits.to(ScalarType.Int64) * (Attempts - torch.arange(Attempts, device: draw))).argmax(1, keepdim: true);
        var anyFit = fits.any(1);
        var (fallbackHeight, fallbackWidth) = FallbackBox(imageHeight, imageWidth);
        var h = torch.where(anyFit, height.gather(1, firstFit).squeeze(1), torch.tensor((double)fallbackHeight, device: draw));
        var w = torch.where(anyFit, width.gather(1, firstFit).squeeze(1), torch.tensor((double)fallbackWidth, device: draw));
        var uTop = torch.rand(new[] { batch }, ScalarType.Float64, draw, generator: generator);
        var uLeft = torch.rand(new[] { batch }, ScalarType.Float64, draw, generator: generator);
        var top = torch.where(anyFit, torch.floor(uTop * (imageHeight - h + 1)), torch.floor((imageHeight - h) / 2));
        var left = torch.where(anyFit, torch.floor(uLeft * (imageWidth - w + 1)), torch.floor((imageWidth - w) / 2));
        return (top.to(device), left.to(device), h.to(device), w.to(device));
    }

    /// <summary>torchvision's fallback: the whole image, narrowed to the nearest allowed aspect ratio.</summary>
    internal (long Height, long Width) FallbackBox(long imageHeight, long imageWidth)
    {
        double inRatio = (double)imageWidth / imageHeight;
        if (inRatio < Ratio.Low) return ((long)Math.Round(imageWidth / Ratio.Low, MidpointRounding.ToEven), imageWidth);
        if (inRatio > Ratio.High) return (imageHeight, (long)Math.Round(imageHeight * Ratio.High, MidpointRounding.ToEven));
        return (imageHeight, imageWidth);
    }

    /// <summary>
    /// Resizes the box <c>[top, top + height) x [left, left + width)</c> of every image to
    /// <c>size x size</c> with bilinear interpolation (half-pixel centres, samples clamped to the box, as
    /// crop-then-resize does). Box tensors are <c>[batch]</c> in pixels.
    /// </summary>
    internal static Tensor CropAndResize(Tensor images, Tensor top, Tensor left, Tensor height, Tensor width, int size)
    {
        long batch = images.shape[0], imageHeight = images.shape[2], imageWidth = images.shape[3];
        var steps = (torch.arange(size, ScalarType.Float64, images.device) + 0.5) / size;
        // Coordinates in float64, converted per row and column before they are spread over the [size, size] grid.
        var y = SampleCoordinates(top, height, steps, imageHeight).to(images.dtype).view(batch, size, 1).expand(batch, size, size);
        var x = SampleCoordinates(left, width, steps, imageWidth).to(images.dtype).view(batch, 1, size).expand(batch, size, size);
        var grid = torch.stack(new[] { x, y }, -1);
        return nn.functional.grid_sample(images, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false);
    }

    /// <summary>Normalised grid coordinates ([-1, 1], align_corners=false) of the box's sample points.</summary>
    private static Tensor SampleCoordinates(Tensor start, Tensor length, Tensor steps, long imageLength)
    {
        var pixel = start.view(-1, 1) + steps.view(1, -1) * length.view(-1, 1) - 0.5;
        pixel = torch.clamp(pixel, start.view(-1, 1), (start + length - 1).view(-1, 1));
        return (2 * pixel + 1) / imageLength - 1;
    }

    /// <inheritdoc/>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"RandomResizedCrop(size={Size}, scale=({Scale.Low:0.###}, {Scale.High:0.###}), ratio=({Ratio.Low:0.###}, {Ratio.High:0.###}), bilinear)");

    /// <inheritdoc/>
    public override string ToString() => Describe();
}
