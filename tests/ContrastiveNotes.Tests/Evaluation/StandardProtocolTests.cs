using ContrastiveNotes.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Evaluation;

public class StandardProtocolTests
{
    /// <summary>10 classes, 120 training and 20 test points each: class c is the unit vector e_c plus Gaussian noise.</summary>
    private static (Tensor Features, Tensor Labels) Clusters(int perClass, double noise, ulong seed)
    {
        var generator = new Generator(seed);
        var labels = arange(10).repeat_interleave(perClass);
        var features = nn.functional.one_hot(labels, 10).to_type(ScalarType.Float32)
            .add(randn(new long[] { labels.shape[0], 10 }, generator: generator).mul(noise));
        return (features, labels);
    }

    [Fact]
    public void SeparableClustersScoreNearlyPerfectlyEverywhereWithFiveSubsetsPerScarceSetting()
    {
        using var scope = NewDisposeScope();
        var (train, trainLabels) = Clusters(120, 0.05, 1);
        var (test, testLabels) = Clusters(20, 0.05, 2);
        var lines = new List<string>();

        var result = StandardProtocol.Evaluate("clusters", train, trainLabels, test, testLabels, lines.Add);

        Assert.Equal(1200, result.TrainCount);
        Assert.Equal(200, result.TestCount);
        Assert.True(result.Knn > 0.99, $"kNN {result.Knn}");
        Assert.True(result.ProbeAllLabels > 0.99, $"probe {result.ProbeAllLabels}");
        Assert.Contains(result.ProbeAllLabelsL2, LinearProbeValidation.DefaultCandidates);
        Assert.Equal(new[] { 100, 10 }, result.ScarceLabels.Select(s => s.PerClass));
        Assert.All(result.ScarceLabels, s => Assert.Equal(StandardProtocol.LabelledSubsets, s.Accuracies.Count));
        Assert.All(result.ScarceLabels.SelectMany(s => s.Accuracies), a => Assert.True(a > 0.95, $"subset accuracy {a}"));
        Assert.Equal(4, lines.Count);
    }

    [Fact]
    public void OverlappingClustersGiveSubsetsThatDifferAndFewerLabelsScoreLower()
    {
        using var scope = NewDisposeScope();
        var (train, trainLabels) = Clusters(120, 0.6, 3);
        var (test, testLabels) = Clusters(20, 0.6, 4);

        var result = StandardProtocol.Evaluate("noisy", train, trainLabels, test, testLabels);

        Assert.True(result.PerClass(10).Accuracies.Distinct().Count() > 1, "Five subsets drawn with different seeds gave identical accuracies.");
        Assert.True(result.PerClass(10).Mean < result.ProbeAllLabels, $"{result.PerClass(10)} vs all labels {result.ProbeAllLabels:P2}");
    }

    [Fact]
    public void MeanAndSampleStandardDeviationFollowTheTextbookFormulas()
    {
        var subsets = new SubsetAccuracies(10, new[] { 0.70, 0.74, 0.78 });
        Assert.Equal(0.74, subsets.Mean, 12);
        Assert.Equal(0.04, subsets.StandardDeviation, 12); // sqrt(((-0.04)² + 0 + 0.04²) / 2)
        Assert.Equal(0, new SubsetAccuracies(10, new[] { 0.7 }).StandardDeviation);
        Assert.Equal("74.00 % ± 4.00 over 3 subsets", subsets.ToString());
    }

    [Fact]
    public void FeaturesOfDifferentWidthsAreRefused()
    {
        using var scope = NewDisposeScope();
        var (train, trainLabels) = Clusters(120, 0.05, 1);
        Assert.ThrowsAny<ArgumentException>(() => StandardProtocol.Evaluate("x", train, trainLabels, rand(5, 3), zeros(5, ScalarType.Int64)));
    }
}
