using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Augmentations;

/// <summary>
/// Standardises each channel: <c>(x - mean[c]) / std[c]</c>. Not random; put it last in a pipeline
/// (after the colour operations, which expect [0, 1]).
/// </summary>
public sealed class Normalize : IBatchAugmentation
{
    /// <summary>Creates the op.</summary>
    /// <param name="mean">One mean per channel.</param>
    /// <param name="std">One positive standard deviation per channel.</param>
    public Normalize(double[] mean, double[] std)
    {
        if (mean.Length == 0 || mean.Length != std.Length)
            throw new ArgumentException($"mean and std need one value per channel and equal lengths, but have {mean.Length} and {std.Length} values.", nameof(std));
        if (std.Any(s => !(s > 0)))
            throw new ArgumentOutOfRangeException(nameof(std), $"Every std must be positive, but std is [{string.Join(", ", std)}].");
        Mean = mean;
        Std = std;
    }

    /// <summary>Per-channel means.</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>Per-channel standard deviations.</summary>
    public IReadOnlyList<double> Std { get; }

    /// <inheritdoc/>
    public Tensor Apply(Tensor images, Generator generator)
    {
        BatchChecks.ImageBatch(images, nameof(Normalize));
        if (images.shape[1] != Mean.Count)
            throw new ArgumentException(
                $"Normalize was built for {Mean.Count} channels but the batch has {images.shape[1]}. Pass one mean and std per channel.", nameof(images));
        using var scope = torch.NewDisposeScope();
        var mean = torch.tensor(Mean.ToArray(), images.dtype, images.device).view(1, -1, 1, 1);
        var std = torch.tensor(Std.ToArray(), images.dtype, images.device).view(1, -1, 1, 1);
        return ((images - mean) / std).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"Normalize(mean=[{string.Join(", ", Mean.Select(m => m.ToString("0.####", CultureInfo.InvariantCulture)))}], " +
        $"std=[{string.Join(", ", Std.Select(s => s.ToString("0.####", CultureInfo.InvariantCulture)))}])");

    /// <inheritdoc/>
    public override string ToString() => Describe();
}
