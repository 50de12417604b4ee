using ContrastiveNotes.Data;
using static TorchSharp.torch;

namespace ContrastiveNotes.Training;

/// <summary>
/// The trainer's two batch sources, with one seed scheme: epoch <c>e</c> of a run seeded with <c>s</c> visits the
/// images in the order <see cref="EpochSeeds.Order"/>(count, s, e), in full batches (the last incomplete batch is
/// dropped, as in SimCLR, so every step sees the same number of negatives). Batches are float32 in [0, 1] and int64
/// labels on the training device.
/// </summary>
public static class EpochBatches
{
    /// <summary>Epoch <paramref name="epoch"/> of <paramref name="dataset"/> (uint8 on the CPU), prefetched by a <see cref="BatchIterator"/>.</summary>
    public static IEnumerable<(Tensor Images, Tensor Labels)> FromDataset(ImageDataset dataset, int batchSize, Device device, long seed, int epoch)
    {
        using var iterator = new BatchIterator(dataset, batchSize, device, seed, shuffle: true, dropLast: true, firstEpoch: epoch);
        foreach (var batch in iterator)
            yield return batch;
    }

    /// <summary>Epoch <paramref name="epoch"/> of in-memory images <c>[N, C, H, W]</c> (uint8 or float, any device) and labels <c>[N]</c>.</summary>
    public static IEnumerable<(Tensor Images, Tensor Labels)> FromTensors(Tensor images, Tensor labels, int batchSize, Device device, long seed, int epoch)
    {
        long count = images.shape[0];
        using var order = EpochSeeds.Order(count, seed, epoch).DetachFromDisposeScope();
        for (long start = 0; start + batchSize <= count; start += batchSize)
        {
            var indices = order.narrow(0, start, batchSize);
            var batch = ImageTensors.ToUnitFloat(images.index_select(0, indices.to(images.device)).to(device));
            yield return (batch, labels.index_select(0, indices.to(labels.device)).to(device));
        }
    }
}
