using ContrastiveNotes.Losses;
using TorchSharp;
using static ContrastiveNotes.Tests.Losses.Reference;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Losses;

public class NTXentLossTests
{
    /// <summary>SimCLR eq. 1 with loops: mean over the 2N anchors of -log softmax of the positive, self excluded.</summary>
    internal static double ReferenceLoss(double[][] z1, double[][] z2, double temperature)
    {
        var z = Concat(z1, z2);
        int twoN = z.Length, n = z1.Length;
        double total = 0;
        for (int i = 0; i < twoN; i++)
        {
            int positive = i < n ? i + n : i - n;
            var others = Enumerable.Range(0, twoN).Where(k => k != i).Select(k => Cosine(z[i], z[k]) / temperature);
            total += -(Cosine(z[i], z[positive]) / temperature) + LogSumExp(others);
        }
        return total / twoN;
    }

    [Theory]
    [InlineData(2, 3, 0.5, 1)]
    [InlineData(5, 4, 0.1, 2)]
    [InlineData(8, 16, 1.0, 3)]
    [InlineData(16, 8, 0.07, 4)]
    public void MatchesTheLoopReference(int n, int dim, double temperature, int seed)
    {
        var z1 = RandomMatrix(n, dim, seed);
        var z2 = RandomMatrix(n, dim, seed + 100);

        double library = Scalar(new NTXentLoss(temperature).call(ToTensor(z1), ToTensor(z2)));

        Assert.Equal(ReferenceLoss(z1, z2, temperature), library, 1e-9);
    }

    [Fact]
    public void Float32InputsAgreeWithTheReferenceWithin1e5()
    {
        var z1 = RandomMatrix(6, 5, 7);
        var z2 = RandomMatrix(6, 5, 8);
        double library = Scalar(new NTXentLoss(0.5).call(ToTensor(z1).to_type(ScalarType.Float32), ToTensor(z2).to_type(ScalarType.Float32)));
        Assert.Equal(ReferenceLoss(z1, z2, 0.5), library, 1e-5);
    }

    [Theory]
    [InlineData(3, 0.5)]
    [InlineData(4, 0.1)]
    public void IdenticalViewsWithOrthogonalOthersReachTheAnalyticalMinimum(int n, double temperature)
    {
        // z1_i = z2_i = e_i: the positive has cosine 1, the 2(N-1) negatives cosine 0, so every anchor costs
        // -1/τ + log(e^{1/τ} + 2(N-1)) = log(1 + 2(N-1) e^{-1/τ}).
        var basis = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Select(j => i == j ? 1.0 : 0.0).ToArray()).ToArray();
        double expected = Math.Log(1 + 2 * (n - 1) * Math.Exp(-1 / temperature));

        double library = Scalar(new NTXentLoss(temperature).call(ToTensor(basis), ToTensor(basis)));

        Assert.Equal(expected, library, 1e-9);
    }

    [Fact]
    public void EqualEmbeddingsGiveLogOf2NMinus1()
    {
        // All cosines are 1: each anchor's softmax is uniform over 2N-1 candidates.
        const int n = 5;
        var same = Enumerable.Range(0, n).Select(_ => new[] { 0.3, -1.2, 2.0 }).ToArray();
        double library = Scalar(new NTXentLoss(0.3).call(ToTensor(same), ToTensor(same)));
        Assert.Equal(Math.Log(2 * n - 1), library, 1e-9);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        var z1 = RandomMatrix(4, 3, 11);
        var z2 = ToTensor(RandomMatrix(4, 3, 12));
        var loss = new NTXentLoss(0.5);
        AssertGradientMatchesFiniteDifferences(z1, x => loss.call(x, z2));
    }

    [Fact]
    public void DiagnosticsMatchTheLoopReference()
    {
        var z1 = RandomMatrix(6, 3, 21);
        var z2 = RandomMatrix(6, 3, 22);
        var z = Concat(z1, z2);
        int twoN = z.Length, n = z1.Length;
        double top1 = 0, rank = 0;
        for (int i = 0; i < twoN; i++)
        {
            int positive = i < n ? i + n : i - n;
            double positiveSimilarity = Cosine(z[i], z[positive]);
            int better = Enumerable.Range(0, twoN).Count(k => k != i && Cosine(z[i], z[k]) > positiveSimilarity);
            rank += better + 1;
            top1 += better == 0 ? 1 : 0;
        }

        var result = new NTXentLoss(0.5).Compute(ToTensor(z1), ToTensor(z2));

        Assert.Equal(top1 / twoN, result.Top1Accuracy, 12);
        Assert.Equal(rank / twoN, result.MeanPositiveRank, 12);
        Assert.Equal(ReferenceLoss(z1, z2, 0.5), Scalar(result.Loss), 1e-9);
        Assert.True(result.MeanPositiveRank > 1, "random embeddings should not rank every positive first");
    }

    [Fact]
    public void SimilarityLogitsMarkThePositivesAndMaskTheDiagonal()
    {
        var z1 = RandomMatrix(3, 4, 31);
        var z2 = RandomMatrix(3, 4, 32);
        var (logits, positives) = NTXentLoss.SimilarityLogits(ToTensor(z1), ToTensor(z2), 0.25);

        Assert.Equal(new long[] { 3, 4, 5, 0, 1, 2 }, positives.data<long>().ToArray());
        var matrix = ToMatrix(logits);
        var z = Concat(z1, z2);
        for (int i = 0; i < 6; i++)
            for (int k = 0; k < 6; k++)
                Assert.Equal(i == k ? NTXentLoss.SelfSimilarityLogit : Cosine(z[i], z[k]) / 0.25, matrix[i][k], 1e-9);
    }

    [Fact]
    public void RejectsBadInputsWithMessagesThatSayWhatToDo()
    {
        var loss = new NTXentLoss();
        var shapes = Assert.Throws<ArgumentException>(() => loss.call(torch.zeros(4, 3), torch.zeros(5, 3)));
        Assert.Contains("[4, 3]", shapes.Message);
        Assert.Contains("[5, 3]", shapes.Message);
        var rank = Assert.Throws<ArgumentException>(() => loss.call(torch.zeros(4, 3, 2), torch.zeros(4, 3, 2)));
        Assert.Contains("[N, D]", rank.Message);
        var dtype = Assert.Throws<ArgumentException>(() => loss.call(torch.zeros(4, 3, dtype: ScalarType.Int64), torch.zeros(4, 3, dtype: ScalarType.Int64)));
        Assert.Contains("floating-point", dtype.Message);
        Assert.Throws<ArgumentException>(() => loss.call(torch.zeros(1, 3), torch.zeros(1, 3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NTXentLoss(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NTXentLoss(double.NaN));
    }
}
