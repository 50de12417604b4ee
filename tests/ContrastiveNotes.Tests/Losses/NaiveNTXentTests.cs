using ContrastiveNotes.Losses;
using static ContrastiveNotes.Tests.Losses.Reference;

namespace ContrastiveNotes.Tests.Losses;

public class NaiveNTXentTests
{
    // A fixed input: N = 4 images, D = 3, τ = 0.5.
    private static readonly double[][] Z1 = RandomMatrix(4, 3, 41);
    private static readonly double[][] Z2 = RandomMatrix(4, 3, 42);
    private const double Temperature = 0.5;

    [Fact]
    public void WithoutSelfMaskAddsTheSelfTermToEveryDenominator()
    {
        // Independent form of the bug: the denominator also holds exp(cos(z_i, z_i)/τ) = exp(1/τ).
        var z = Concat(Z1, Z2);
        int twoN = z.Length, n = Z1.Length;
        double buggy = 0;
        for (int i = 0; i < twoN; i++)
        {
            int positive = i < n ? i + n : i - n;
            buggy += -(Cosine(z[i], z[positive]) / Temperature) + LogSumExp(z.Select(other => Cosine(z[i], other) / Temperature));
        }
        buggy /= twoN;
        double correct = NTXentLoss_Reference();

        double library = Scalar(NaiveNTXent.WithoutSelfMask(ToTensor(Z1), ToTensor(Z2), Temperature));

        Assert.Equal(buggy, library, 1e-9);
        // On this input the bug adds 0.3582 nats (3.7646 instead of 3.4064), far beyond rounding.
        Assert.Equal(3.4064, correct, 4);
        Assert.Equal(0.3582, library - correct, 4);
    }

    [Fact]
    public void LabelsPointAtAnchorUsesTheSelfSimilarityAsTarget()
    {
        // Independent form of the bug: target logit is cos(z_i, z_i)/τ = 1/τ, denominator over all 2N entries.
        var z = Concat(Z1, Z2);
        int twoN = z.Length;
        double buggy = 0;
        for (int i = 0; i < twoN; i++)
            buggy += -(1 / Temperature) + LogSumExp(z.Select(other => Cosine(z[i], other) / Temperature));
        buggy /= twoN;
        double correct = NTXentLoss_Reference();

        double library = Scalar(NaiveNTXent.LabelsPointAtAnchor(ToTensor(Z1), ToTensor(Z2), Temperature));

        Assert.Equal(buggy, library, 1e-9);
        // On this input the bug lowers the loss by 2.1862 nats (1.2202 instead of 3.4064): it looks "better".
        Assert.Equal(3.4064, correct, 4);
        Assert.Equal(-2.1862, library - correct, 4);
    }

    private static double NTXentLoss_Reference() => NTXentLossTests.ReferenceLoss(Z1, Z2, Temperature);
}
