using ContrastiveNotes.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Evaluation;

public class LabelEfficiencyTests
{
    [Fact]
    public void SelectPerClassTakesKOfEachClassAndAllOfSmallClasses()
    {
        // Class 0: 10 examples, class 1: 3, class 2: 7, interleaved.
        var labelList = new List<long>();
        for (int i = 0; i < 10; i++) labelList.Add(0);
        for (int i = 0; i < 3; i++) labelList.Add(1);
        for (int i = 0; i < 7; i++) labelList.Add(2);
        var rng = new Random(5);
        var shuffled = labelList.OrderBy(_ => rng.Next()).ToArray();
        var labels = torch.tensor(shuffled);
        using var g = new Generator(3);
        var chosen = LabelEfficiency.SelectPerClass(labels, 5, g).data<long>().ToArray();

        var counts = chosen.GroupBy(i => shuffled[i]).ToDictionary(x => x.Key, x => x.Count());
        Assert.Equal(5, counts[0]);
        Assert.Equal(3, counts[1]);
        Assert.Equal(5, counts[2]);
        Assert.Equal(chosen.Distinct().Count(), chosen.Length);
        Assert.Equal(chosen.OrderBy(i => i), chosen);
    }

    [Fact]
    public void SameSeedSameSubsetDifferentSeedDifferentSubset()
    {
        var labels = torch.arange(200, dtype: ScalarType.Int64).remainder(4);
        long[] Pick(ulong seed) { using var g = new Generator(seed); return LabelEfficiency.SelectPerClass(labels, 3, g).data<long>().ToArray(); }
        Assert.Equal(Pick(1), Pick(1));
        Assert.NotEqual(Pick(1), Pick(2));
    }

    [Fact]
    public void SubsetsForGrowingKAreNested()
    {
        var labels = torch.arange(300, dtype: ScalarType.Int64).remainder(3);
        long[] Pick(int k) { using var g = new Generator(11); return LabelEfficiency.SelectPerClass(labels, k, g).data<long>().ToArray(); }
        var small = Pick(2); var large = Pick(10);
        Assert.Equal(6, small.Length);
        Assert.Equal(30, large.Length);
        Assert.Subset(large.ToHashSet(), small.ToHashSet());
    }

    [Fact]
    public void ProbeCurveRisesWithLabelsAndCustomSeriesIsAccepted()
    {
        var (train, trainLabels) = SyntheticFeatures.Clusters(3, 60, 6, 1.2, seed: 21);
        var (test, testLabels) = SyntheticFeatures.Clusters(3, 40, 6, 1.2, seed: 21);
        var curve = LabelEfficiency.LinearProbeCurve(train, trainLabels, test, testLabels, new[] { 1, 10, LabelEfficiency.All }, seed: 7, new LinearProbeOptions(Steps: 100));
        Assert.Equal(new long[] { 3, 30, 180 }, curve.Select(p => p.LabelledCount));
        Assert.True(curve[2].Accuracy >= 0.9, string.Join("; ", curve));

        var other = LabelEfficiency.Curve(new[] { 1, 10, LabelEfficiency.All }, k => k == LabelEfficiency.All ? 0.9 : k / 100.0, classCount: 3, allLabelledCount: 180);
        Assert.Equal(new[] { 0.01, 0.1, 0.9 }, other.Select(p => p.Accuracy));
        Assert.Throws<ArgumentException>(() => LabelEfficiency.Curve(new[] { LabelEfficiency.All }, _ => 1, 3));
    }
}
