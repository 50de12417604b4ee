using ContrastiveNotes.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Training;

public class LarsTests
{
    private static readonly double[] W0 = { 0.5, -1.0, 2.0, 0.25, -0.75, 1.5 }; // weight [2, 3]
    private static readonly double[] B0 = { 0.1, -0.2 };                         // bias [2]
    private static readonly double[] G1 = { 0.3, 0.1, -0.2, 0.05, 0.4, -0.6 };
    private static readonly double[] Gb1 = { 1.0, -0.5 };
    private static readonly double[] G2 = { -0.1, 0.2, 0.3, -0.4, 0.0, 0.25 };
    private static readonly double[] Gb2 = { 0.2, 0.3 };

    private const double Lr = 0.8, Momentum = 0.9, Decay = 0.01, Eta = 0.02;

    [Fact]
    public void TwoStepsEqualTheFormulaComputedByHand()
    {
        var weight = new Parameter(tensor(W0, ScalarType.Float64).view(2, 3));
        var bias = new Parameter(tensor(B0, ScalarType.Float64));
        using var lars = new Lars(new[] { weight, bias }, Lr, Momentum, Decay, Eta);

        ApplyGradients(lars, weight, bias, G1, Gb1);
        lars.step();
        ApplyGradients(lars, weight, bias, G2, Gb2);
        lars.step();

        var (expectedW, expectedB) = Reference();
        AssertClose(expectedW, weight.data<double>().ToArray());
        AssertClose(expectedB, bias.data<double>().ToArray());
    }

    // Plain double arithmetic of LARS as in SimCLR: d = g + λw, trust = η‖w‖/‖d‖, v = m v + lr·trust·d, w -= v;
    // the 1-D bias: v = m v + lr·g, b -= v (no decay, no trust ratio).
    private static (double[] W, double[] B) Reference()
    {
        double[] w = (double[])W0.Clone(), b = (double[])B0.Clone();
        double[] vw = new double[w.Length], vb = new double[b.Length];
        foreach (var (g, gb) in new[] { (G1, Gb1), (G2, Gb2) })
        {
            double[] d = new double[w.Length];
            double wNorm = 0, dNorm = 0;
            for (int i = 0; i < w.Length; i++)
            {
                d[i] = g[i] + Decay * w[i];
                wNorm += w[i] * w[i];
                dNorm += d[i] * d[i];
            }
            double trust = Eta * Math.Sqrt(wNorm) / Math.Sqrt(dNorm);
            for (int i = 0; i < w.Length; i++)
            {
                vw[i] = Momentum * vw[i] + Lr * trust * d[i];
                w[i] -= vw[i];
            }
            for (int i = 0; i < b.Length; i++)
            {
                vb[i] = Momentum * vb[i] + Lr * gb[i];
                b[i] -= vb[i];
            }
        }
        return (w, b);
    }

    [Fact]
    public void ZeroWeightsUseATrustRatioOfOne()
    {
        var weight = new Parameter(zeros(2, 3, ScalarType.Float64));
        var bias = new Parameter(zeros(2, ScalarType.Float64));
        using var lars = new Lars(new[] { weight, bias }, Lr, Momentum, Decay, Eta);
        ApplyGradients(lars, weight, bias, G1, Gb1);
        lars.step();
        // w = 0, so d = g and trust = 1: w1 = -lr * g.
        AssertClose(G1.Select(g => -Lr * g).ToArray(), weight.data<double>().ToArray());
    }

    [Fact]
    public void StateRoundTripsThroughAStream()
    {
        var weight = new Parameter(tensor(W0, ScalarType.Float64).view(2, 3));
        var bias = new Parameter(tensor(B0, ScalarType.Float64));
        using var lars = new Lars(new[] { weight, bias }, Lr, Momentum, Decay, Eta);
        ApplyGradients(lars, weight, bias, G1, Gb1);
        lars.step();
        using var stream = new MemoryStream();
        lars.SaveState(new BinaryWriter(stream));

        var weight2 = new Parameter(tensor(weight.data<double>().ToArray(), ScalarType.Float64).view(2, 3));
        var bias2 = new Parameter(tensor(bias.data<double>().ToArray(), ScalarType.Float64));
        using var restored = new Lars(new[] { weight2, bias2 }, 0.1, Momentum, Decay, Eta);
        stream.Position = 0;
        restored.LoadState(new BinaryReader(stream));
        Assert.Equal(Lr, restored.LearningRate);

        ApplyGradients(lars, weight, bias, G2, Gb2);
        lars.step();
        ApplyGradients(restored, weight2, bias2, G2, Gb2);
        restored.step();
        AssertClose(weight.data<double>().ToArray(), weight2.data<double>().ToArray());
        AssertClose(bias.data<double>().ToArray(), bias2.data<double>().ToArray());
    }

    [Fact]
    public void ImpossibleSettingsThrow()
    {
        var weight = new Parameter(zeros(2, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Lars(new[] { weight }, 0.1, momentum: 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Lars(new[] { weight }, -0.1));
        Assert.Throws<ArgumentException>(() => new Lars(Array.Empty<Parameter>(), 0.1));
    }

    /// <summary>Gives each parameter exactly the chosen gradient: d/dp sum(p * g) = g.</summary>
    private static void ApplyGradients(Lars lars, Parameter weight, Parameter bias, double[] g, double[] gb)
    {
        using var scope = NewDisposeScope();
        lars.zero_grad();
        var loss = weight.mul(tensor(g, ScalarType.Float64).view(2, 3)).sum() + bias.mul(tensor(gb, ScalarType.Float64)).sum();
        loss.backward();
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-12, $"element {i}: expected {expected[i]}, got {actual[i]}");
    }
}
