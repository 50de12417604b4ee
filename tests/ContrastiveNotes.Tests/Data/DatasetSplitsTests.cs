using ContrastiveNotes.Data;
using TorchSharp;

namespace ContrastiveNotes.Tests.Data;

public class DatasetSplitsTests
{
    /// <summary>Image i is filled with the value i, so a subset's images tell which indices it took.</summary>
    private static ImageDataset Numbered(int count, int classes)
    {
        var images = torch.arange(count, dtype: torch.ScalarType.Byte).view(count, 1, 1, 1).expand(count, 1, 2, 2).contiguous();
        var labels = torch.arange(count, dtype: torch.ScalarType.Int64) % classes;
        return new ImageDataset(images, labels, Enumerable.Range(0, classes).Select(c => $"c{c}").ToArray(), "numbered");
    }

    private static long[] Ids(ImageDataset d) => d.Images[.., 0, 0, 0].to(torch.ScalarType.Int64).data<long>().ToArray();

    [Fact]
    public void StratifiedSubsetTakesKDistinctImagesPerClassReproducibly()
    {
        using var dataset = Numbered(100, 4);
        using var subset = DatasetSplits.StratifiedSubset(dataset, perClass: 5, seed: 7);
        using var again = DatasetSplits.StratifiedSubset(dataset, perClass: 5, seed: 7);
        using var other = DatasetSplits.StratifiedSubset(dataset, perClass: 5, seed: 8);
        Assert.Equal(new long[] { 5, 5, 5, 5 }, subset.ClassCounts());
        long[] ids = Ids(subset);
        Assert.Equal(20, ids.Distinct().Count());
        Assert.Equal(ids.Select(i => i % 4), subset.Labels.data<long>().ToArray());
        Assert.Equal(ids, Ids(again));
        Assert.NotEqual(ids, Ids(other));
    }

    [Fact]
    public void AskingForMoreThanAClassHasIsAnError()
    {
        using var dataset = Numbered(10, 5);
        var e = Assert.Throws<ArgumentException>(() => DatasetSplits.StratifiedSubset(dataset, perClass: 3, seed: 1));
        Assert.Contains("has 2 images", e.Message);
    }

    [Fact]
    public void TrainValidationSplitIsADisjointCoverWithTheClassProportions()
    {
        using var dataset = Numbered(100, 4);
        var (train, validation) = DatasetSplits.TrainValidation(dataset, 0.2, seed: 3);
        using (train)
        using (validation)
        {
            Assert.Equal(new long[] { 5, 5, 5, 5 }, validation.ClassCounts());
            Assert.Equal(80, train.Count);
            var all = Ids(train).Concat(Ids(validation)).OrderBy(i => i).ToArray();
            Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), all);
        }
    }
}
