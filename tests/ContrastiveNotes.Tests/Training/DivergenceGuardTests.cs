using ContrastiveNotes.Training;
using TorchSharp;
using static TorchSharp.torch;
using Kit = ContrastiveNotes.Tests.Training.TrainingTestKit;

namespace ContrastiveNotes.Tests.Training;

/// <summary>
/// The guard guards: absurd learning rates end in a <see cref="TrainingDivergedException"/> that says what went
/// wrong, never in a run reported as complete, and neither the model in memory nor the checkpoint on disk keeps
/// non-finite weights.
/// </summary>
public class DivergenceGuardTests
{
    private static (Tensor Images, Tensor Labels) Data() => Kit.Quadrants(48, seed: 3);

    private static TrainingOptions Absurd(OptimizerKind kind, string? checkpoint = null) => new()
    {
        Epochs = 12, Optimizer = kind, LearningRate = 1e6, WarmupEpochs = 0, Seed = 4, CheckpointPath = checkpoint,
    };

    [Theory]
    [InlineData("SimCLR", OptimizerKind.Adam)]
    [InlineData("SimCLR", OptimizerKind.Sgd)]
    [InlineData("SupCon", OptimizerKind.Adam)]
    [InlineData("Supervised", OptimizerKind.Adam)]
    [InlineData("Supervised", OptimizerKind.Sgd)]
    [InlineData("MoCo", OptimizerKind.Sgd)]
    public void AnAbsurdLearningRateNeverCompletesAndLeavesFiniteWeights(string name, OptimizerKind kind)
    {
        var (images, labels) = Data();
        var method = Kit.Method(name, initSeed: 1);
        using var trainer = new Trainer(method, Absurd(kind));

        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(images, labels, 8));

        Assert.True(DivergenceGuard.AllFinite(method.Modules), $"{name}: the model kept non-finite weights after {error.Reason}");
        Assert.Contains("lower learning rate", error.Message);
    }

    [Fact]
    public void TotalCollapseIsCaughtAndNamed()
    {
        var guard = new DivergenceGuard("SimCLR", null);
        double collapsed = Math.Log(2 * 8 - 1);
        var losses = Enumerable.Repeat(collapsed, DivergenceGuard.CollapseSteps).ToList();

        var error = Assert.Throws<TrainingDivergedException>(() => guard.CheckLoss(collapsed, 26, 2, losses));

        Assert.Equal(DivergenceReason.Collapsed, error.Reason);
        Assert.Contains("the model collapsed", error.Message);
        Assert.Contains("ln(2N − 1)", error.Message);
        // A loss that still moves in its fourth digit is training, not collapse; nor is a loss unchanged at the end of a schedule.
        guard.CheckLoss(collapsed * (1 + 2e-4), 26, 2, losses);
        guard.CheckLoss(collapsed, 26, 2, losses, learningRateIsSignificant: false);
        guard.CheckLoss(collapsed, 25, 2, losses.Take(DivergenceGuard.CollapseSteps - 1).ToList());
    }

    [Fact]
    public void SimSiamWithoutStopGradientOrPredictorCollapsesAndIsStoppedUnlessAllowed()
    {
        var (images, labels) = Data();
        SimSiamMethod Ablation() => new(Kit.Initialize(Kit.Encoder(), 1), Kit.Initialize(Kit.Head(), 2), predictor: null, Kit.Augment, stopGradient: false);
        var options = new TrainingOptions { Epochs = 20, Optimizer = OptimizerKind.Sgd, LearningRate = 0.5, Seed = 3 };

        using (var strict = new Trainer(Ablation(), options))
            Assert.Equal(DivergenceReason.Collapsed, Assert.Throws<TrainingDivergedException>(() => strict.Fit(images, labels, 8)).Reason);

        using var lenient = new Trainer(Ablation(), options with { StopOnCollapse = false });
        var history = lenient.Fit(images, labels, 8);
        Assert.True(history.StepLosses[^1] < -0.999, $"the ablation should end at D = -1 (every output the same direction), ended at {history.StepLosses[^1]}");
    }

    [Fact]
    public void ARunAllowedToCollapseRunsOnWhileNonFiniteLossesStillStopIt()
    {
        double collapsed = Math.Log(15);
        var losses = Enumerable.Repeat(collapsed, DivergenceGuard.CollapseSteps).ToList();
        var lenient = new DivergenceGuard("SimSiam", null, stopOnCollapse: false);

        lenient.CheckLoss(collapsed, 26, 2, losses);

        Assert.Equal(DivergenceReason.NonFiniteLoss, Assert.Throws<TrainingDivergedException>(() => lenient.CheckLoss(double.NaN, 27, 2, losses)).Reason);
    }

    [Fact]
    public void AnExplodedLossIsCaughtAgainstTheRunsFirstLoss()
    {
        var guard = new DivergenceGuard("Supervised", null);
        var losses = new List<double> { 2.3, 2.1, 2.0 };

        Assert.Equal(DivergenceReason.Exploded, Assert.Throws<TrainingDivergedException>(() => guard.CheckLoss(1e11, 4, 1, losses)).Reason);
        guard.CheckLoss(900, 4, 1, losses); // above 1000 × 2.3 is needed, and above 1000
        guard.CheckLoss(2e3, 4, 1, losses);
    }

    [Fact]
    public void AStepThatBlowsUpTheWeightsPutsTheOldWeightsBackAndKeepsTheLastGoodCheckpoint()
    {
        var (images, labels) = Data();
        string path = Path.Combine(Kit.TempFolder(), "sgd.ckpt");
        var method = Kit.Method("Supervised", initSeed: 2);
        var options = new TrainingOptions { Epochs = 1, Optimizer = OptimizerKind.Sgd, LearningRate = 0.05, WarmupEpochs = 0, Seed = 1, CheckpointPath = path };
        using (var warm = new Trainer(method, options))
            warm.Fit(images, labels, 8);
        byte[] good = File.ReadAllBytes(path);
        float[] weights = Kit.Flatten(method);

        using var trainer = new Trainer(method, options with { Epochs = 2, LearningRate = 1e6, Seed = 2 });
        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(images, labels, 8));

        Assert.Equal(DivergenceReason.WeightsExploded, error.Reason);
        Assert.Equal(1, error.Step);
        Assert.Contains("the weights from before that step were put back", error.Message);
        Assert.Equal(weights, Kit.Flatten(method));
        Assert.Equal(good, File.ReadAllBytes(path));
    }

    [Fact]
    public void ACheckpointOfNonFiniteWeightsIsRefusedAndThePreviousOneKept()
    {
        var (images, labels) = Data();
        string path = Path.Combine(Kit.TempFolder(), "nan.ckpt");
        var method = Kit.Method("SimCLR", initSeed: 3);
        using var trainer = new Trainer(method, new TrainingOptions { Epochs = 1, CheckpointPath = path });
        trainer.Fit(images, labels, 8);
        byte[] good = File.ReadAllBytes(path);
        using (torch.no_grad())
            method.Modules[0].parameters().First().fill_(double.NaN);

        var error = Assert.Throws<InvalidOperationException>(() => trainer.SaveCheckpoint(path));

        Assert.Contains("weights are not all finite", error.Message);
        Assert.Equal(good, File.ReadAllBytes(path));
    }
}
