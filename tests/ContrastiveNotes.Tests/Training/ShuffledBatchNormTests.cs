using ContrastiveNotes.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Training;

public class ShuffledBatchNormTests
{
    /// <summary>Stands in for BatchNorm in training mode: subtracts the mean of whatever batch it is given.</summary>
    private sealed class BatchCentering : nn.Module<Tensor, Tensor>
    {
        public BatchCentering() : base(nameof(BatchCentering)) { }
        public override Tensor forward(Tensor x) => x - x.mean(new long[] { 0 }, keepdim: true);
    }

    private static readonly double[] Values = { 1, 2, 4, 8, 16, 32, 64, 128, 256, 512 };   // all subset sums distinct

    private static Tensor Batch() => torch.tensor(Values, new long[] { Values.Length, 1 });

    private static double[] Run(int groups, Generator? shuffle) =>
        ShuffledBatchNorm.Forward(new BatchCentering(), Batch(), groups, shuffle).flatten().data<double>().ToArray();

    [Fact]
    public void OneGroupIsTheWholeBatch()
    {
        double mean = Values.Average();
        Assert.Equal(Values.Select(v => v - mean), Run(1, null));
        Assert.Equal(Values.Select(v => v - mean), Run(1, new Generator(1)));
    }

    [Fact]
    public void WithoutShuffleTheGroupsAreConsecutiveAndAsEqualAsPossible()
    {
        // 10 images in 4 groups: sizes 3, 3, 2, 2 (never a group of one, which BatchNorm cannot normalise).
        var groupOf = new[] { 0, 0, 0, 1, 1, 1, 2, 2, 3, 3 };
        var expected = Values.Select((v, i) => v - Values.Where((_, j) => groupOf[j] == groupOf[i]).Average()).ToArray();
        Assert.Equal(expected, Run(4, null));
    }

    [Fact]
    public void ShuffledGroupsAreRandomButTheOutputKeepsTheInputOrder()
    {
        var output = Run(4, new Generator(7));
        // Row i is x_i minus the mean of its group: the offsets x_i − out_i name the groups.
        var offsets = Values.Select((v, i) => Math.Round(v - output[i], 9)).ToArray();
        var groups = Enumerable.Range(0, Values.Length).GroupBy(i => offsets[i]).ToArray();
        Assert.Equal(new[] { 2, 2, 3, 3 }, groups.Select(g => g.Count()).Order());
        foreach (var group in groups)
            Assert.Equal(group.Key, group.Select(i => Values[i]).Average(), 9);   // each offset is its members' mean
        var consecutive = new[] { new[] { 0, 1, 2 }, new[] { 3, 4, 5 }, new[] { 6, 7 }, new[] { 8, 9 } };
        Assert.False(groups.All(g => consecutive.Any(c => c.SequenceEqual(g))), "seed 7 should not give the unshuffled grouping");
        Assert.Equal(output, Run(4, new Generator(7)));                            // same generator state, same groups
    }

    [Fact]
    public void RejectsTooManyGroupsForTheBatch()
    {
        var error = Assert.Throws<ArgumentException>(() => ShuffledBatchNorm.Forward(new BatchCentering(), Batch(), 6, null));
        Assert.Contains("at least 12 images", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ShuffledBatchNorm.Forward(new BatchCentering(), Batch(), 0, null));
    }
}
