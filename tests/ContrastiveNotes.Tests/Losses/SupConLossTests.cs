using ContrastiveNotes.Losses;
using TorchSharp;
using static ContrastiveNotes.Tests.Losses.Reference;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Losses;

public class SupConLossTests
{
    /// <summary>
    /// Khosla et al. eq. 2 with loops over anchors i (all views of all images), positives P(i) = same label, i excluded,
    /// A(i) = all but i; anchors without positives skipped; mean over the rest, times τ/τ_base.
    /// </summary>
    private static double ReferenceLoss(double[][][] features, long[] labels, double temperature, double baseTemperature)
    {
        int batch = features.Length, views = features[0].Length;
        var anchors = new List<(double[] Z, long Label)>();
        for (int v = 0; v < views; v++)
            for (int b = 0; b < batch; b++)
                anchors.Add((features[b][v], labels[b]));
        double total = 0;
        int counted = 0;
        for (int i = 0; i < anchors.Count; i++)
        {
            var positives = Enumerable.Range(0, anchors.Count).Where(p => p != i && anchors[p].Label == anchors[i].Label).ToList();
            if (positives.Count == 0)
                continue;
            double logDenominator = LogSumExp(Enumerable.Range(0, anchors.Count).Where(a => a != i)
                .Select(a => Cosine(anchors[i].Z, anchors[a].Z) / temperature));
            double sum = positives.Sum(p => Cosine(anchors[i].Z, anchors[p].Z) / temperature - logDenominator);
            total += -(temperature / baseTemperature) * sum / positives.Count;
            counted++;
        }
        return total / counted;
    }

    private static double[][][] RandomFeatures(int batch, int views, int dim, int seed)
    {
        var flat = RandomMatrix(batch * views, dim, seed);
        return Enumerable.Range(0, batch).Select(b => Enumerable.Range(0, views).Select(v => flat[b * views + v]).ToArray()).ToArray();
    }

    private static Tensor ToTensor3(double[][][] features)
    {
        var flat = features.SelectMany(views => views).ToArray();
        return ToTensor(flat).reshape(features.Length, features[0].Length, -1);
    }

    [Theory]
    [InlineData(6, 2, 4, 0.1, 0.07, 1)]
    [InlineData(8, 3, 5, 0.5, 0.5, 2)]
    [InlineData(5, 1, 3, 0.07, 0.07, 3)]
    public void MatchesTheLoopReference(int batch, int views, int dim, double temperature, double baseTemperature, int seed)
    {
        var features = RandomFeatures(batch, views, dim, seed);
        var random = new Random(seed);
        var labels = Enumerable.Range(0, batch).Select(_ => (long)random.Next(3)).ToArray();
        labels[0] = labels[1]; // at least one positive pair even with one view

        double library = Scalar(new SupConLoss(temperature, baseTemperature).call(ToTensor3(features), torch.tensor(labels)));

        Assert.Equal(ReferenceLoss(features, labels, temperature, baseTemperature), library, 1e-9);
    }

    [Fact]
    public void DistinctLabelsAndNoLabelsEqualNTXent()
    {
        var z1 = RandomMatrix(5, 4, 71);
        var z2 = RandomMatrix(5, 4, 72);
        var features = torch.stack(new[] { ToTensor(z1), ToTensor(z2) }, 1);
        var loss = new SupConLoss(0.3, 0.3);

        double ntXent = NTXentLossTests.ReferenceLoss(z1, z2, 0.3);
        Assert.Equal(ntXent, Scalar(loss.call(features, torch.arange(5))), 1e-9);
        Assert.Equal(ntXent, Scalar(loss.call(features, null)), 1e-9);
        Assert.Equal(Scalar(new NTXentLoss(0.3).call(ToTensor(z1), ToTensor(z2))), Scalar(loss.call(features, null)), 1e-12);
    }

    [Fact]
    public void AnchorsWithoutPositivesAreExcludedNotNaN()
    {
        // One view, labels {0, 0, 1}: anchor 2 has no positive; only anchors 0 and 1 count.
        var features = RandomFeatures(3, 1, 3, 81);
        var labels = new long[] { 0, 0, 1 };
        double library = Scalar(new SupConLoss(0.5, 0.5).call(ToTensor3(features), torch.tensor(labels)));

        Assert.False(double.IsNaN(library));
        Assert.Equal(ReferenceLoss(features, labels, 0.5, 0.5), library, 1e-9);
    }

    [Fact]
    public void ThrowsWhenNoAnchorHasAPositive()
    {
        var error = Assert.Throws<ArgumentException>(() => new SupConLoss().call(torch.randn(4, 1, 3, dtype: ScalarType.Float64), torch.arange(4)));
        Assert.Contains("no anchor with a positive", error.Message);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        var flat = RandomMatrix(8, 3, 91); // 4 images x 2 views
        var labels = torch.tensor(new long[] { 0, 1, 0, 2 });
        var loss = new SupConLoss(0.5, 0.7);
        AssertGradientMatchesFiniteDifferences(flat, x => loss.call(x.reshape(4, 2, 3), labels));
    }

    [Fact]
    public void RejectsBadLabelsAndShapes()
    {
        var loss = new SupConLoss();
        var features = torch.randn(4, 2, 3);
        Assert.Contains("[4]", Assert.Throws<ArgumentException>(() => loss.call(features, torch.arange(3))).Message);
        Assert.Contains("integer", Assert.Throws<ArgumentException>(() => loss.call(features, torch.zeros(4))).Message);
        Assert.Contains("[batch, views, dim]", Assert.Throws<ArgumentException>(() => loss.call(torch.randn(4, 3), null)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SupConLoss(0.1, 0));
    }
}
