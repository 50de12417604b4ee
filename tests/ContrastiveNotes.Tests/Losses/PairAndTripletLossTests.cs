using ContrastiveNotes.Losses;
using TorchSharp;
using static ContrastiveNotes.Tests.Losses.Reference;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Losses;

public class PairAndTripletLossTests
{
    [Fact]
    public void PairLossMatchesHadsellChopraLeCunWithSameMeaningSimilar()
    {
        // Paper: L = (1-Y) ½ D² + Y ½ max(0, m-D)², Y = 0 similar. Here Y = 1 - same.
        var x1 = RandomMatrix(6, 3, 101);
        var x2 = RandomMatrix(6, 3, 102);
        var same = new long[] { 1, 0, 1, 0, 0, 1 };
        const double margin = 1.5;
        double expected = 0;
        for (int i = 0; i < 6; i++)
        {
            double y = 1 - same[i], d = Distance(x1[i], x2[i]);
            expected += (1 - y) * 0.5 * d * d + y * 0.5 * Math.Pow(Math.Max(0, margin - d), 2);
        }
        expected /= 6;

        double library = Scalar(new ContrastivePairLoss(margin).call(ToTensor(x1), ToTensor(x2), torch.tensor(same)));

        Assert.Equal(expected, library, 1e-9);
        Assert.Equal(expected, Scalar(new ContrastivePairLoss(margin).call(ToTensor(x1), ToTensor(x2), torch.tensor(same.Select(s => s == 1).ToArray()))), 1e-9);
    }

    [Fact]
    public void PairLossIsZeroForIdenticalSimilarPairsAndFarDissimilarPairs()
    {
        var a = ToTensor(new[] { new[] { 1.0, 2.0 }, new[] { 0.0, 0.0 } });
        var b = ToTensor(new[] { new[] { 1.0, 2.0 }, new[] { 3.0, 4.0 } }); // second pair: distance 5 > margin 1
        Assert.Equal(0.0, Scalar(new ContrastivePairLoss(1.0).call(a, b, torch.tensor(new long[] { 1, 0 }))), 12);
        Assert.Contains("[2]", Assert.Throws<ArgumentException>(() => new ContrastivePairLoss().call(a, b, torch.tensor(new long[] { 1, 0, 1 }))).Message);
    }

    private static readonly long[] Labels = { 0, 1, 0, 2, 1, 0, 2, 3 };

    [Fact]
    public void BatchHardMatchesHermansEtAl()
    {
        var x = RandomMatrix(8, 4, 111);
        const double margin = 0.3;
        double total = 0;
        int counted = 0;
        for (int a = 0; a < 8; a++)
        {
            var positives = Enumerable.Range(0, 8).Where(p => p != a && Labels[p] == Labels[a]).ToList();
            var negatives = Enumerable.Range(0, 8).Where(n => Labels[n] != Labels[a]).ToList();
            if (positives.Count == 0) continue; // label 3 occurs once
            double hardestPositive = positives.Max(p => Distance(x[a], x[p]));
            double hardestNegative = negatives.Min(n => Distance(x[a], x[n]));
            total += Math.Max(0, hardestPositive - hardestNegative + margin);
            counted++;
        }

        double library = Scalar(new TripletLoss(margin, batchHard: true).call(ToTensor(x), torch.tensor(Labels)));

        Assert.Equal(7, counted);
        Assert.Equal(total / counted, library, 1e-9);
    }

    [Fact]
    public void BatchAllAveragesEveryValidTriplet()
    {
        var x = RandomMatrix(8, 4, 121);
        const double margin = 0.5;
        double total = 0;
        int count = 0;
        for (int a = 0; a < 8; a++)
            for (int p = 0; p < 8; p++)
                for (int n = 0; n < 8; n++)
                    if (p != a && Labels[p] == Labels[a] && Labels[n] != Labels[a])
                    {
                        total += Math.Max(0, Distance(x[a], x[p]) - Distance(x[a], x[n]) + margin);
                        count++;
                    }

        double library = Scalar(new TripletLoss(margin, batchHard: false).call(ToTensor(x), torch.tensor(Labels)));

        Assert.Equal(total / count, library, 1e-9);
    }

    [Fact]
    public void ExplicitTripletsFollowFaceNet()
    {
        var a = RandomMatrix(5, 3, 131); var p = RandomMatrix(5, 3, 132); var n = RandomMatrix(5, 3, 133);
        double expected = Enumerable.Range(0, 5).Average(i => Math.Max(0, Distance(a[i], p[i]) - Distance(a[i], n[i]) + 0.2));
        Assert.Equal(expected, Scalar(new TripletLoss(0.2).ForTriplets(ToTensor(a), ToTensor(p), ToTensor(n))), 1e-9);
    }

    [Fact]
    public void BatchHardGradientMatchesFiniteDifferences()
    {
        // A large margin keeps every hinge active, so the loss is differentiable at this point.
        var x = RandomMatrix(8, 3, 141);
        var loss = new TripletLoss(margin: 5, batchHard: true);
        AssertGradientMatchesFiniteDifferences(x, e => loss.call(e, torch.tensor(Labels)));
    }

    [Fact]
    public void ABatchWithoutAValidTripletThrows()
    {
        var error = Assert.Throws<ArgumentException>(() => new TripletLoss().call(torch.randn(3, 2), torch.tensor(new long[] { 0, 1, 2 })));
        Assert.Contains("no valid triplet", error.Message);
    }

    [Fact]
    public void NegativeCosineSimilarityStopsTheGradientOnTheTarget()
    {
        var p = RandomMatrix(4, 3, 151); var z = RandomMatrix(4, 3, 152);
        double expected = -Enumerable.Range(0, 4).Average(i => Cosine(p[i], z[i]));
        var predictions = ToTensor(p, requiresGrad: true);
        var targets = ToTensor(z, requiresGrad: true);

        var value = new NegativeCosineSimilarityLoss().call(predictions, targets);
        value.backward();

        Assert.Equal(expected, Scalar(value), 1e-9);
        Assert.NotNull(predictions.grad);
        Assert.Null(targets.grad);
    }

    [Fact]
    public void SymmetricNegativeCosineIsTheSimSiamAverage()
    {
        var p1 = RandomMatrix(4, 3, 161); var p2 = RandomMatrix(4, 3, 162);
        var z1 = RandomMatrix(4, 3, 163); var z2 = RandomMatrix(4, 3, 164);
        double expected = -0.5 * Enumerable.Range(0, 4).Average(i => Cosine(p1[i], z2[i]))
                          - 0.5 * Enumerable.Range(0, 4).Average(i => Cosine(p2[i], z1[i]));
        double library = Scalar(new NegativeCosineSimilarityLoss().Symmetric(ToTensor(p1), ToTensor(p2), ToTensor(z1), ToTensor(z2)));
        Assert.Equal(expected, library, 1e-9);
    }
}
