using ContrastiveNotes.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Training;

public class WeightDecayExclusionTests
{
    private const double Lr = 0.5, Decay = 0.1, Eta = 0.001;

    // With a zero gradient only weight decay moves parameters. Expected factor on the 2-D weight, by hand:
    // SGD: w - lr·λ·w; AdamW (decoupled, Adam part is 0 for g = 0): w - lr·λ·w;
    // LARS: d = λw, trust = η‖w‖/‖λw‖ = η/λ, so w - lr·(η/λ)·λw = w - lr·η·w.
    // Biases and BatchNorm parameters (1-D) must not move at all.
    [Theory]
    [InlineData(OptimizerKind.Sgd, 1 - Lr * Decay)]
    [InlineData(OptimizerKind.AdamW, 1 - Lr * Decay)]
    [InlineData(OptimizerKind.Lars, 1 - Lr * Eta)]
    public void OnlyMultiDimensionalWeightsDecay(OptimizerKind kind, double weightFactor)
    {
        var linear = TrainingTestKit.Initialize(nn.Linear(4, 3), 7);
        var norm = nn.BatchNorm1d(3);
        using (no_grad())
        {
            norm.weight!.fill_(1.5);
            norm.bias!.fill_(-0.25);
        }
        var model = nn.Sequential(linear, norm);
        var before = Snapshot(linear.weight!, linear.bias!, norm.weight!, norm.bias!);
        var options = new TrainingOptions { Optimizer = kind, LearningRate = Lr, WeightDecay = Decay, Momentum = 0.9, LarsTrustCoefficient = Eta };
        using var optimizer = OptimizerFactory.Create(options, model.parameters());

        using (var scope = NewDisposeScope())
        {
            optimizer.zero_grad();
            using var input = ones(5, 4);
            model.call(input).sum().mul(0).backward();
            optimizer.step();
        }

        var after = Snapshot(linear.weight!, linear.bias!, norm.weight!, norm.bias!);
        for (int i = 0; i < before[0].Length; i++)
            Assert.Equal(before[0][i] * weightFactor, after[0][i], 5);
        for (int t = 1; t < 4; t++)
            Assert.Equal(before[t], after[t]);
    }

    [Fact]
    public void WithoutExclusionBiasesDecayToo()
    {
        var linear = TrainingTestKit.Initialize(nn.Linear(4, 3), 7);
        var bias = linear.bias!.data<float>().ToArray();
        var options = new TrainingOptions { Optimizer = OptimizerKind.Sgd, LearningRate = Lr, WeightDecay = Decay, ExcludeBiasAndNormFromWeightDecay = false };
        using var optimizer = OptimizerFactory.Create(options, linear.parameters());
        using (var scope = NewDisposeScope())
        {
            optimizer.zero_grad();
            linear.call(ones(2, 4)).sum().mul(0).backward();
            optimizer.step();
        }
        var after = linear.bias!.data<float>().ToArray();
        for (int i = 0; i < bias.Length; i++)
            Assert.Equal(bias[i] * (1 - Lr * Decay), after[i], 5);
    }

    private static float[][] Snapshot(params Tensor[] tensors) => tensors.Select(t => t.data<float>().ToArray()).ToArray();
}
