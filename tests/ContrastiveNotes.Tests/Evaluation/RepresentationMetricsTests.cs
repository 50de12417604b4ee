using ContrastiveNotes.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Evaluation;

public class RepresentationMetricsTests
{
    private static readonly double[,] X = { { 1, 2, 0 }, { -1, 0.5, 3 }, { 0.2, -2, 1 }, { 4, 1, -1 }, { 0, 0.3, 0.7 } };
    private static readonly double[,] Y = { { 1.1, 1.8, 0.3 }, { -0.5, 0.5, 2 }, { 0.4, -1, 1.5 }, { 3, 2, -1 }, { 0.2, 0.1, 0.9 } };

    private static double[] NormalizedRow(double[,] m, int i)
    {
        int d = m.GetLength(1);
        double norm = 0;
        for (int j = 0; j < d; j++) norm += m[i, j] * m[i, j];
        norm = Math.Sqrt(norm);
        var row = new double[d];
        for (int j = 0; j < d; j++) row[j] = m[i, j] / norm;
        return row;
    }

    private static double SquaredDistance(double[] a, double[] b)
    {
        double s = 0;
        for (int j = 0; j < a.Length; j++) s += (a[j] - b[j]) * (a[j] - b[j]);
        return s;
    }

    private static Tensor ToTensor(double[,] m) =>
        torch.tensor(m.Cast<double>().Select(v => (float)v).ToArray()).reshape(m.GetLength(0), m.GetLength(1));

    [Fact]
    public void AlignmentMatchesThePublishedFormula()
    {
        // align = mean_i ||x_i/|x_i| - y_i/|y_i|||^alpha (Wang & Isola 2020), alpha = 2 and alpha = 1.
        foreach (double alpha in new[] { 2.0, 1.0 })
        {
            double expected = 0;
            for (int i = 0; i < 5; i++) expected += Math.Pow(Math.Sqrt(SquaredDistance(NormalizedRow(X, i), NormalizedRow(Y, i))), alpha);
            expected /= 5;
            Assert.Equal(expected, RepresentationMetrics.Alignment(ToTensor(X), ToTensor(Y), alpha), 5);
        }
    }

    [Fact]
    public void UniformityMatchesThePublishedFormula()
    {
        // uniform = log( mean over i<j of exp(-t ||x_i - x_j||^2) ) on normalised rows, t = 2.
        double sum = 0; int pairs = 0;
        for (int i = 0; i < 5; i++)
            for (int j = i + 1; j < 5; j++) { sum += Math.Exp(-2 * SquaredDistance(NormalizedRow(X, i), NormalizedRow(X, j))); pairs++; }
        Assert.Equal(Math.Log(sum / pairs), RepresentationMetrics.Uniformity(ToTensor(X)), 5);
    }

    [Fact]
    public void CollapsedFeaturesHaveZeroSpreadAndUniformityZero()
    {
        var collapsed = torch.ones(10, 4).mul(torch.arange(1, 11, dtype: ScalarType.Float32).unsqueeze(1));
        Assert.Equal(0, RepresentationMetrics.NormalizedStd(collapsed), 5);
        Assert.Equal(0, RepresentationMetrics.Uniformity(collapsed), 5);
    }

    [Fact]
    public void NormalizedStdOfGaussianFeaturesIsNearOneOverSqrtDim()
    {
        using var g = new Generator(9);
        var features = torch.randn(new long[] { 4000, 64 }, generator: g);
        double std = RepresentationMetrics.NormalizedStd(features);
        Assert.Equal(RepresentationMetrics.CollapseReference(64), std, 2);

        // Hand check on a tiny matrix: rows (3,4)->(0.6,0.8) and (4,3)->(0.8,0.6); unbiased std per dim = |0.2|/sqrt(2).
        var tiny = torch.tensor(new float[] { 3, 4, 4, 3 }).reshape(2, 2);
        Assert.Equal(0.2 / Math.Sqrt(2), RepresentationMetrics.NormalizedStd(tiny), 5);
    }

    [Fact]
    public void EffectiveRankOfKnownSingularValues()
    {
        // diag(3, 1, 0) inside a 4x3 matrix: p = (0.75, 0.25), H = -(.75 ln .75 + .25 ln .25), erank = exp(H) ≈ 1.7548.
        var m = torch.zeros(4, 3);
        m[0, 0] = 3; m[1, 1] = 1;
        double h = -(0.75 * Math.Log(0.75) + 0.25 * Math.Log(0.25));
        Assert.Equal(Math.Exp(h), RepresentationMetrics.EffectiveRank(m), 4);
        // Equal singular values give the full rank; rotating the matrix does not change it.
        var (q, _) = torch.linalg.qr(torch.randn(new long[] { 5, 5 }, generator: new Generator(2)));
        Assert.Equal(5, RepresentationMetrics.EffectiveRank(q.mul(2)), 3);
    }
}
