using ContrastiveNotes.Data;
using TorchSharp;

namespace ContrastiveNotes.Tests.Data;

public class BatchIteratorTests
{
    private static ImageDataset Numbered(int count)
    {
        var images = torch.arange(count, dtype: torch.ScalarType.Byte).view(count, 1, 1, 1).expand(count, 1, 3, 3).contiguous();
        var labels = torch.arange(count, dtype: torch.ScalarType.Int64) % 3;
        return new ImageDataset(images, labels, new[] { "a", "b", "c" }, "numbered");
    }

    private static List<long[]> Epoch(BatchIterator iterator) =>
        iterator.Select(batch =>
        {
            using var scope = torch.NewDisposeScope();
            return (batch.Images[.., 0, 0, 0] * 255).round().to(torch.ScalarType.Int64).data<long>().ToArray();
        }).ToList();

    [Fact]
    public void EveryImageOnceAsFloatInUnitRangeOnTheDevice()
    {
        using var dataset = Numbered(23);
        using var iterator = new BatchIterator(dataset, batchSize: 5, torch.CPU, seed: 1);
        var sizes = new List<long>();
        var seen = new List<long>();
        foreach (var (images, labels) in iterator)
        {
            using var scope = torch.NewDisposeScope();
            Assert.Equal(torch.ScalarType.Float32, images.dtype);
            Assert.Equal(torch.ScalarType.Int64, labels.dtype);
            Assert.True(images.max().item<float>() <= 22f / 255 + 1e-6);
            long[] ids = (images[.., 0, 0, 0] * 255).round().to(torch.ScalarType.Int64).data<long>().ToArray();
            Assert.Equal(ids.Select(i => i % 3), labels.data<long>().ToArray());
            sizes.Add(images.shape[0]);
            seen.AddRange(ids);
        }
        Assert.Equal(new long[] { 5, 5, 5, 5, 3 }, sizes);
        Assert.Equal(Enumerable.Range(0, 23).Select(i => (long)i), seen.OrderBy(i => i));
        Assert.NotEqual(Enumerable.Range(0, 23).Select(i => (long)i), seen);
    }

    [Fact]
    public void SameSeedSameOrderAndEachEpochReshuffles()
    {
        using var dataset = Numbered(20);
        using var a = new BatchIterator(dataset, 4, torch.CPU, seed: 9);
        using var b = new BatchIterator(dataset, 4, torch.CPU, seed: 9);
        var first = Epoch(a).SelectMany(x => x).ToArray();
        Assert.Equal(first, Epoch(b).SelectMany(x => x).ToArray());
        Assert.NotEqual(first, Epoch(a).SelectMany(x => x).ToArray());
    }

    [Fact]
    public void DropLastSkipsTheIncompleteBatchAndNoShuffleKeepsOrder()
    {
        using var dataset = Numbered(10);
        using var iterator = new BatchIterator(dataset, 4, torch.CPU, seed: 0, shuffle: false, dropLast: true);
        Assert.Equal(2, iterator.BatchesPerEpoch);
        var batches = Epoch(iterator);
        Assert.Equal(new[] { new long[] { 0, 1, 2, 3 }, new long[] { 4, 5, 6, 7 } }, batches);
    }

    [Fact]
    public void BreakingOutEarlyAndDisposingIsSafe()
    {
        using var dataset = Numbered(50);
        var iterator = new BatchIterator(dataset, 8, torch.CPU, seed: 2);
        foreach (var (images, _) in iterator)
        {
            Assert.Equal(8, images.shape[0]);
            break;
        }
        iterator.Dispose();
        Assert.Throws<ObjectDisposedException>(() => iterator.First());
    }
}
