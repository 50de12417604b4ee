using ContrastiveNotes.Training;
using TorchSharp;
using static TorchSharp.torch;
using Kit = ContrastiveNotes.Tests.Training.TrainingTestKit;

namespace ContrastiveNotes.Tests.Training;

/// <summary>BYOL and SimSiam against the papers' formulas written out here with TorchSharp's own cosine similarity.</summary>
public class NonContrastiveMethodTests
{
    private static (Tensor V1, Tensor V2) Views(Tensor images, ulong seed)
    {
        using var generator = new Generator(seed, CPU);
        return (Kit.Augment(images, generator), Kit.Augment(images, generator));
    }

    private static Tensor Cos(Tensor a, Tensor b) => nn.functional.cosine_similarity(a, b, dim: 1);

    private static SimSiamMethod SimSiam(bool stopGradient, long seed = 1) =>
        new(Kit.Initialize(Kit.Encoder(), seed), Kit.Initialize(Kit.Head(), seed + 1), Kit.Initialize(nn.Linear(8, 8), seed + 2), Kit.Augment, stopGradient);

    [Fact]
    public void SimSiamsLossIsTheSymmetricNegativeCosineOfEquation4()
    {
        var (images, labels) = Kit.Quadrants(8, seed: 1);
        var method = SimSiam(stopGradient: true);
        using var generator = new Generator(7, CPU);
        double loss = method.ComputeLoss(images, labels, generator).item<float>();

        var (v1, v2) = Views(images, 7);
        var encoder = method.Modules[0] as nn.Module<Tensor, Tensor>;
        var projector = method.Modules[1] as nn.Module<Tensor, Tensor>;
        var predictor = method.Modules[2] as nn.Module<Tensor, Tensor>;
        var z1 = projector!.call(encoder!.call(v1));
        var z2 = projector.call(encoder.call(v2));
        double expected = (-0.5 * Cos(predictor!.call(z1), z2).mean() - 0.5 * Cos(predictor.call(z2), z1).mean()).item<float>();

        Assert.Equal(expected, loss, 5);
    }

    [Fact]
    public void TheStopGradientRemovesTheTargetBranchFromTheGradient()
    {
        var (images, labels) = Kit.Quadrants(8, seed: 2);
        float[] Gradient(bool stopGradient, bool manual)
        {
            var method = SimSiam(stopGradient, seed: 3);
            var encoder = (nn.Module<Tensor, Tensor>)method.Modules[0];
            var projector = (nn.Module<Tensor, Tensor>)method.Modules[1];
            var predictor = (nn.Module<Tensor, Tensor>)method.Modules[2];
            Tensor loss;
            if (manual)
            {
                var (v1, v2) = Views(images, 9);
                var z = projector.call(encoder.call(cat(new[] { v1, v2 }, 0))).chunk(2, 0);
                Tensor T(Tensor t) => stopGradient ? t.detach() : t;
                loss = -0.5 * Cos(predictor.call(z[0]), T(z[1])).mean() - 0.5 * Cos(predictor.call(z[1]), T(z[0])).mean();
            }
            else
            {
                using var generator = new Generator(9, CPU);
                loss = method.ComputeLoss(images, labels, generator);
            }
            loss.backward();
            return projector.parameters().SelectMany(p => p.grad!.data<float>().ToArray()).ToArray();
        }

        var stopped = Gradient(true, manual: false);
        var through = Gradient(false, manual: false);
        Assert.Equal(Gradient(true, manual: true), stopped, new Tolerance(1e-5f));
        Assert.Equal(Gradient(false, manual: true), through, new Tolerance(1e-5f));
        Assert.NotEqual(stopped, through, new Tolerance(1e-5f));
    }

    [Fact]
    public void ByolsLossIsEquationTwoSymmetrisedAndTheTargetGetsNoGradient()
    {
        var (images, labels) = Kit.Quadrants(8, seed: 4);
        var method = (ByolMethod)Kit.Method("BYOL", initSeed: 5);
        using var generator = new Generator(11, CPU);
        var loss = method.ComputeLoss(images, labels, generator);
        loss.backward();

        var (v1, v2) = Views(images, 11);
        var online = (nn.Module<Tensor, Tensor>)method.Modules[0];
        var predictor = (nn.Module<Tensor, Tensor>)method.Modules[1];
        Tensor Target(Tensor v) { using var _ = no_grad(); return method.Target.Network.call(v); }
        var expected = (2 - 2 * Cos(predictor.call(online.call(v1)), Target(v2))).mean() + (2 - 2 * Cos(predictor.call(online.call(v2)), Target(v1))).mean();

        Assert.Equal(expected.item<float>(), loss.item<float>(), 5);
        Assert.All(method.Target.parameters(), p => Assert.Null(p.grad));
        Assert.All(online.parameters(), p => Assert.NotNull(p.grad));
    }

    [Fact]
    public void AfterEachStepTheTargetMovesByTheScheduledMomentum()
    {
        var (images, labels) = Kit.Quadrants(8, seed: 6);
        var method = (ByolMethod)Kit.Method("BYOL", initSeed: 7);
        using var optimizer = OptimizerFactory.Create(new TrainingOptions { Optimizer = OptimizerKind.Sgd, LearningRate = 0.5 }, method.TrainableParameters.Select(p => p.Parameter));
        using var generator = new Generator(13, CPU);
        var online = method.Modules[0];

        for (int k = 0; k < 3; k++)
        {
            var before = method.Target.Network.parameters().Select(p => p.data<float>().ToArray()).ToArray();
            var step = method.Step(images, labels, generator);
            step.Loss.backward();
            optimizer.step();
            optimizer.zero_grad();
            var onlineAfter = online.parameters().Select(p => p.data<float>().ToArray()).ToArray();
            step.AfterOptimizerStep!();
            double tau = 1 - (1 - 0.996) * (Math.Cos(Math.PI * k / 12) + 1) / 2;
            var after = method.Target.Network.parameters().Select(p => p.data<float>().ToArray()).ToArray();
            for (int i = 0; i < after.Length; i++)
                for (int j = 0; j < after[i].Length; j++)
                    Assert.True(Math.Abs(tau * before[i][j] + (1 - tau) * onlineAfter[i][j] - after[i][j]) <= 1e-6,
                        $"step {k}, tensor {i}, element {j}: expected τ·target + (1 − τ)·online with τ = {tau}");
        }
        Assert.Equal(3, method.StepsTaken);
    }

    [Fact]
    public void TheMomentumRisesFromItsBaseToOneAlongACosine()
    {
        Assert.Equal(0.996, ByolMethod.Momentum(0, 100), 12);
        Assert.Equal(0.998, ByolMethod.Momentum(50, 100), 12);
        Assert.Equal(1.0, ByolMethod.Momentum(100, 100), 12);
        var schedule = Enumerable.Range(0, 101).Select(k => ByolMethod.Momentum(k, 100)).ToArray();
        Assert.True(schedule.Zip(schedule.Skip(1)).All(p => p.Second >= p.First));
    }

    private sealed class Tolerance(float epsilon) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= epsilon * Math.Max(1, Math.Abs(x));

        public int GetHashCode(float obj) => 0;
    }
}
