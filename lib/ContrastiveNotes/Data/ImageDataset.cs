using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Data;

/// <summary>
/// A labelled image dataset held in memory on the CPU: images as <c>uint8</c>
/// <c>[count, channels, height, width]</c> and labels as <c>int64</c> <c>[count]</c>.
/// Batches are converted to <c>float32</c> in [0, 1] on the device by <see cref="BatchIterator"/>.
/// </summary>
public sealed class ImageDataset : IDisposable
{
    /// <summary>Creates a dataset after checking that the tensors agree with each other.</summary>
    /// <param name="images"><c>uint8</c> <c>[count, channels, height, width]</c> on the CPU.</param>
    /// <param name="labels"><c>int64</c> <c>[count]</c>, each in <c>[0, classNames.Count)</c>.</param>
    /// <param name="classNames">One readable name per class, indexed by label.</param>
    /// <param name="name">A short name used when printing the dataset (e.g. "Fashion-MNIST test").</param>
    public ImageDataset(Tensor images, Tensor labels, IReadOnlyList<string> classNames, string name)
    {
        if (images.dtype != ScalarType.Byte || images.dim() != 4)
            throw new ArgumentException(
                $"Images must be uint8 [count, channels, height, width], but got {images.dtype} {Shapes.Format(images)}. " +
                "Convert with images.to(torch.uint8) and reshape to four dimensions.", nameof(images));
        ClassLabels.Require(labels, -1, nameof(labels));
        if (labels.shape[0] != images.shape[0])
            throw new ArgumentException(
                $"There must be one label per image, but there are {images.shape[0]} images and {labels.shape[0]} labels.", nameof(labels));
        if (labels.numel() > 0)
        {
            using var minimum = labels.min();
            using var maximum = labels.max();
            long min = minimum.item<long>(), max = maximum.item<long>();
            if (min < 0 || max >= classNames.Count)
                throw new ArgumentException(
                    $"Labels must lie in [0, {classNames.Count}) for {classNames.Count} class names, but they range over [{min}, {max}]. " +
                    "Pass one class name per label value.", nameof(labels));
        }
        Images = images;
        Labels = ClassLabels.ToInt64(labels);
        ClassNames = classNames;
        Name = name;
    }

    /// <summary><c>uint8</c> images <c>[count, channels, height, width]</c> on the CPU.</summary>
    public Tensor Images { get; }

    /// <summary><c>int64</c> class labels <c>[count]</c>.</summary>
    public Tensor Labels { get; }

    /// <summary>Readable class names, indexed by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>A short name for printing.</summary>
    public string Name { get; }

    /// <summary>Number of images.</summary>
    public int Count => (int)Images.shape[0];

    /// <summary>Channels per image (1 for grayscale, 3 for RGB).</summary>
    public int Channels => (int)Images.shape[1];

    /// <summary>Image height in pixels.</summary>
    public int Height => (int)Images.shape[2];

    /// <summary>Image width in pixels.</summary>
    public int Width => (int)Images.shape[3];

    /// <summary>Returns a new dataset holding copies of the images and labels at <paramref name="indices"/>, in that order.</summary>
    public ImageDataset Subset(long[] indices)
    {
        foreach (long index in indices)
            if (index < 0 || index >= Count)
                throw new ArgumentOutOfRangeException(nameof(indices),
                    $"Index {index} is outside the dataset '{Name}', which has {Count} images (valid: 0..{Count - 1}).");
        using var index_ = torch.tensor(indices, dtype: ScalarType.Int64);
        return new ImageDataset(Images.index_select(0, index_), Labels.index_select(0, index_), ClassNames, Name);
    }

    /// <summary>Number of images per class, indexed by label.</summary>
    public long[] ClassCounts()
    {
        using var counts = torch.bincount(Labels, minlength: ClassNames.Count);
        return counts.data<long>().ToArray();
    }

    /// <summary>A one-line summary: name, count, shape and classes.</summary>
    public override string ToString() =>
        $"{Name}: {Count} images [{Channels}, {Height}, {Width}] uint8, {ClassNames.Count} classes ({string.Join(", ", ClassNames)})";

    /// <summary>Releases the image and label tensors.</summary>
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
