using ContrastiveNotes.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Evaluation;

public class KnnClassifierTests
{
    [Fact]
    public void SeparableClustersAreClassifiedAlmostPerfectly()
    {
        var (train, trainLabels) = SyntheticFeatures.Clusters(5, 40, 16, 0.3, seed: 1);
        var (test, testLabels) = SyntheticFeatures.Clusters(5, 20, 16, 0.3, seed: 1);
        var result = KnnClassifier.Evaluate(train, trainLabels, test, testLabels, k: 20, chunkSize: 7);
        Assert.True(result.Accuracy >= 0.99, $"expected ~100% on separable clusters, found {result.Accuracy}");
        Assert.Equal(new long[] { 100 }, result.Predictions.shape);
    }

    [Fact]
    public void RandomLabelsGiveChanceAccuracy()
    {
        // 4 classes, 2000 test points: chance is 0.25 with a binomial standard deviation sqrt(.25*.75/2000) ≈ 0.0097,
        // so ±0.05 is more than 5 standard deviations.
        var (train, _) = SyntheticFeatures.Clusters(1, 1000, 8, 1.0, seed: 2);
        var (test, _) = SyntheticFeatures.Clusters(1, 2000, 8, 1.0, seed: 3);
        var result = KnnClassifier.Evaluate(train, SyntheticFeatures.RandomLabels(1000, 4, 4), test, SyntheticFeatures.RandomLabels(2000, 4, 5), k: 50);
        Assert.InRange(result.Accuracy, 0.20, 0.30);
    }

    [Fact]
    public void VotesAreWeightedByExponentialOfSimilarityOverTemperature()
    {
        // Query q = (2, 0). Bank: one class-0 point with cosine similarity s = 1 and two class-1 points with s = 0.9
        // each (at ±acos 0.9). Hand-computed summed votes exp(s/τ):
        //   τ = 0.1 : class 0 = e^10 = 22026.5, class 1 = 2·e^9 = 16206.2  -> class 0 wins;
        //   τ = 1.0 : class 0 = e^1  = 2.718,   class 1 = 2·e^0.9 = 4.919 -> class 1 wins.
        double angle = Math.Acos(0.9);
        var bank = torch.tensor(new float[] { 1, 0, (float)Math.Cos(angle), (float)Math.Sin(angle), (float)Math.Cos(angle), -(float)Math.Sin(angle) }).reshape(3, 2);
        var labels = torch.tensor(new long[] { 0, 1, 1 });
        var query = torch.tensor(new float[] { 2, 0 }).reshape(1, 2);
        Assert.Equal(0L, KnnClassifier.Predict(bank, labels, query, k: 3, temperature: 0.1).item<long>());
        Assert.Equal(1L, KnnClassifier.Predict(bank, labels, query, k: 3, temperature: 1.0).item<long>());
        // k = 1 keeps only the nearest neighbour, whatever the temperature.
        Assert.Equal(0L, KnnClassifier.Predict(bank, labels, query, k: 1, temperature: 1.0).item<long>());
    }

    [Fact]
    public void WrongShapesAreRejectedWithAnExplanation()
    {
        var ex = Assert.Throws<ArgumentException>(() => KnnClassifier.Predict(torch.zeros(4, 3), torch.zeros(5, dtype: ScalarType.Int64), torch.zeros(2, 3)));
        Assert.Contains("Expected labels [4]", ex.Message);
    }
}
