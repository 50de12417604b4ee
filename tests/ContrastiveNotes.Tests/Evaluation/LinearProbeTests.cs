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

    [Fact]
    public void ConvergesToTheRegularisedOptimumFoundByNewtonsMethod()
    {
        // Overlapping 2-class data, so the optimum is finite. With two classes the softmax model depends on d = w1 - w0
        // and c = b1 - b0, and the penalty λ/2(|w0|² + |w1|²) is smallest at w0 = -d/2, w1 = d/2, i.e. λ/4·|d|².
        // Newton's method in plain doubles on mean log(1 + exp(-y(d·x + c))) + λ/4·|d|², y = ±1, standardised x.
        const double lambda = 0.1;
        var (features, labels) = SyntheticFeatures.Clusters(2, 30, 2, 3.0, seed: 17);
        var f = features.to_type(ScalarType.Float64).data<double>().ToArray();
        var y = labels.data<long>().Select(l => l == 1 ? 1.0 : -1.0).ToArray();
        int n = y.Length;
        var x = Standardise(f, n);

        var theta = new double[3]; // d0, d1, c
        for (int iteration = 0; iteration < 50; iteration++)
        {
            var gradient = new double[3];
            var hessian = new double[3, 3];
            for (int i = 0; i < n; i++)
            {
                double[] xi = { x[i, 0], x[i, 1], 1 };
                double margin = y[i] * (theta[0] * xi[0] + theta[1] * xi[1] + theta[2]);
                double sigma = 1 / (1 + Math.Exp(margin)); // = 1 - sigmoid(margin)
                for (int a = 0; a < 3; a++)
                {
                    gradient[a] += -y[i] * sigma * xi[a] / n;
                    for (int b = 0; b < 3; b++) hessian[a, b] += sigma * (1 - sigma) * xi[a] * xi[b] / n;
                }
            }
            for (int a = 0; a < 2; a++) { gradient[a] += lambda / 2 * theta[a]; hessian[a, a] += lambda / 2; }
            var step = Solve3(hessian, gradient);
            for (int a = 0; a < 3; a++) theta[a] -= step[a];
        }

        using var probe = LinearProbe.Fit(features, labels, 2, new LinearProbeOptions(Steps: 600, LearningRate: 0.05, L2: lambda));
        var probabilities = nn.functional.softmax(probe.Logits(features), 1).select(1, 1).to_type(ScalarType.Float64).data<double>().ToArray();
        for (int i = 0; i < n; i++)
        {
            double expected = 1 / (1 + Math.Exp(-(theta[0] * x[i, 0] + theta[1] * x[i, 1] + theta[2])));
            Assert.Equal(expected, probabilities[i], 3);
        }
    }

    /// <summary>Column-wise (x - mean) / population std of an [n, 2] row-major array.</summary>
    private static double[,] Standardise(double[] f, int n)
    {
        var x = new double[n, 2];
        for (int j = 0; j < 2; j++)
        {
            double mean = 0, variance = 0;
            for (int i = 0; i < n; i++) mean += f[2 * i + j] / n;
            for (int i = 0; i < n; i++) variance += Math.Pow(f[2 * i + j] - mean, 2) / n;
            for (int i = 0; i < n; i++) x[i, j] = (f[2 * i + j] - mean) / Math.Sqrt(variance);
        }
        return x;
    }

    /// <summary>Solves the 3x3 system a·s = b by Cramer's rule.</summary>
    private static double[] Solve3(double[,] a, double[] b)
    {
        static double Det(double[,] m) =>
            m[0, 0] * (m[1, 1] * m[2, 2] - m[1, 2] * m[2, 1]) - m[0, 1] * (m[1, 0] * m[2, 2] - m[1, 2] * m[2, 0]) + m[0, 2] * (m[1, 0] * m[2, 1] - m[1, 1] * m[2, 0]);
        double det = Det(a);
        var s = new double[3];
        for (int c = 0; c < 3; c++)
        {
            var m = (double[,])a.Clone();
            for (int r = 0; r < 3; r++) m[r, c] = b[r];
            s[c] = Det(m) / det;
        }
        return s;
    }

    private sealed class Disposer(LinearProbeResult value) : IDisposable
    {
        public LinearProbeResult Value { get; } = value;
        public void Dispose() => Value.Probe.Dispose();
    }
}
