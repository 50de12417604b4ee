using ContrastiveNotes.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Evaluation;

public class LinearProbeTests
{
    [Fact]
    public void SeparableClustersReachNearPerfectAccuracy()
    {
        var (train, trainLabels) = SyntheticFeatures.Clusters(4, 50, 10, 0.5, seed: 11);
        var (test, testLabels) = SyntheticFeatures.Clusters(4, 25, 10, 0.5, seed: 11);
        using var result = new Disposer(LinearProbe.Train(train, trainLabels, test, testLabels, new LinearProbeOptions(Steps: 200)));
        Assert.True(result.Value.TestAccuracy >= 0.99, result.Value.ToString());
        Assert.True(result.Value.TrainAccuracy >= 0.99, result.Value.ToString());
    }

    [Fact]
    public void RandomLabelsGiveChanceTestAccuracy()
    {
        // 5 classes, 2000 test points: chance 0.2, binomial sd ≈ 0.009; ±0.05 is over 5 sd.
        var (train, _) = SyntheticFeatures.Clusters(1, 500, 8, 1.0, seed: 12);
        var (test, _) = SyntheticFeatures.Clusters(1, 2000, 8, 1.0, seed: 13);
        using var result = new Disposer(LinearProbe.Train(train, SyntheticFeatures.RandomLabels(500, 5, 14), test, SyntheticFeatures.RandomLabels(2000, 5, 15), numClasses: 5));
        Assert.InRange(result.Value.TestAccuracy, 0.15, 0.25);
    }

    [Fact]
    public void StandardisationMakesTheProbeScaleInvariant()
    {
        // A feature scaled by 1000 would dominate an unstandardised probe's optimisation; standardised, it trains the same.
        var (train, labels) = SyntheticFeatures.Clusters(3, 30, 4, 0.3, seed: 16);
        var scaled = train.mul(torch.tensor(new float[] { 1000, 1, 1, 0.001f }));
        using var probe = LinearProbe.Fit(scaled, labels, 3, new LinearProbeOptions(Steps: 150));
        Assert.True(probe.Accuracy(scaled, labels) >= 0.99);
    }

    private sealed class Disposer(LinearProbeResult value) : IDisposable
    {
        public LinearProbeResult Value { get; } = value;
        public void Dispose() => Value.Probe.Dispose();
    }
}
