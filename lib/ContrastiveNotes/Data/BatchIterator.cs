using System.Collections;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Data;

/// <summary>
/// Iterates over a dataset in (optionally shuffled, seeded) mini-batches, yielding images as
/// <c>float32</c> <c>[batch, channels, height, width]</c> in [0, 1] and labels <c>int64</c> <c>[batch]</c>,
/// both on <see cref="Device"/>. The next batch is gathered, converted and moved on a background task
/// while the caller works on the current one. Each enumeration is one epoch; epoch <c>e</c>'s order
/// is <see cref="EpochSeeds.Order"/>(count, seed, e), the same order the <c>Trainer</c> gives in-memory images,
/// so runs are reproducible.
/// </summary>
/// <remarks>
/// Batch tensors are attached to the caller's current <c>torch.NewDisposeScope()</c> (if any) when they
/// are yielded, so a training loop that opens a scope per step keeps memory flat; outside a scope the
/// caller owns and disposes them.
/// </remarks>
public sealed class BatchIterator : IEnumerable<(Tensor Images, Tensor Labels)>, IDisposable
{
    private readonly ImageDataset dataset;
    private readonly long seed;
    private int epoch;
    private bool disposed;

    /// <summary>Creates an iterator; nothing is read until enumeration starts.</summary>
    /// <param name="dataset">The images (<c>uint8</c> on the CPU) and labels.</param>
    /// <param name="batchSize">Images per batch (the last batch may be smaller unless <paramref name="dropLast"/>).</param>
    /// <param name="device">Where batches are moved (e.g. <c>DeviceChoice.Choose().Device</c>).</param>
    /// <param name="seed">Seed of the shuffling order.</param>
    /// <param name="shuffle">Shuffle every epoch (true for training, false for evaluation).</param>
    /// <param name="dropLast">Skip the last, incomplete batch (keeps batch statistics and contrastive negatives constant).</param>
    /// <param name="firstEpoch">The 0-based epoch the first enumeration is (a resumed run starts later).</param>
    public BatchIterator(ImageDataset dataset, int batchSize, Device device, long seed, bool shuffle = true, bool dropLast = false, int firstEpoch = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstEpoch);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), $"batchSize must be at least 1, but it is {batchSize}.");
        if (dropLast && batchSize > dataset.Count)
            throw new ArgumentException(
                $"With dropLast, a batch size of {batchSize} yields no batch from '{dataset.Name}', which has only {dataset.Count} images. " +
                "Use a smaller batch size or dropLast: false.", nameof(batchSize));
        this.dataset = dataset;
        BatchSize = batchSize;
        Device = device;
        this.seed = seed;
        Shuffle = shuffle;
        DropLast = dropLast;
        epoch = firstEpoch;
    }

    /// <summary>Images per batch.</summary>
    public int BatchSize { get; }

    /// <summary>The device batches are moved to.</summary>
    public Device Device { get; }

    /// <summary>Whether each epoch is shuffled.</summary>
    public bool Shuffle { get; }

    /// <summary>Whether the last, incomplete batch is skipped.</summary>
    public bool DropLast { get; }

    /// <summary>Number of batches per epoch.</summary>
    public int BatchesPerEpoch => DropLast ? dataset.Count / BatchSize : (dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>Enumerates one epoch; the next call enumerates the next epoch (a new shuffle).</summary>
    public IEnumerator<(Tensor Images, Tensor Labels)> GetEnumerator()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        long[] order = EpochOrder(epoch++);
        int batches = BatchesPerEpoch;
        Task<(Tensor Images, Tensor Labels)>? next = batches > 0 ? StartBatch(order, 0) : null;
        try
        {
            for (int b = 0; b < batches; b++)
            {
                var current = next!.GetAwaiter().GetResult();
                next = b + 1 < batches ? StartBatch(order, b + 1) : null;
                if (torch.CurrentDisposeScope is { } scope) scope.Attach(new IDisposable[] { current.Images, current.Labels });
                yield return current;
            }
        }
        finally
        {
            if (next != null)
            {
                try
                {
                    var (images, labels) = next.GetAwaiter().GetResult();
                    images.Dispose();
                    labels.Dispose();
                }
                catch (Exception)
                {
                    // The batch was never handed out; its failure is irrelevant once enumeration stopped.
                }
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private long[] EpochOrder(int epochIndex)
    {
        if (!Shuffle) return Enumerable.Range(0, dataset.Count).Select(i => (long)i).ToArray();
        using var permutation = EpochSeeds.Order(dataset.Count, seed, epochIndex);
        return permutation.data<long>().ToArray();
    }

    private Task<(Tensor Images, Tensor Labels)> StartBatch(long[] order, int batch)
    {
        int start = batch * BatchSize, length = Math.Min(BatchSize, order.Length - start);
        var indices = order.AsSpan(start, length).ToArray();
        return Task.Run(() =>
        {
            using var scope = torch.NewDisposeScope();
            var index = torch.tensor(indices, ScalarType.Int64);
            var images = ImageTensors.ToUnitFloat(dataset.Images.index_select(0, index).to(Device));
            var labels = dataset.Labels.index_select(0, index).to(Device);
            return (images.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
        });
    }

    /// <summary>Marks the iterator as finished; batches already handed out stay valid.</summary>
    public void Dispose() => disposed = true;
}
