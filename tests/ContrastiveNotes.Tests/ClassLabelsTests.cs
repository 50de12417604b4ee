using ContrastiveNotes.Evaluation;
using ContrastiveNotes.Losses;
using ContrastiveNotes.Training;
using TorchSharp;
using static TorchSharp.torch;
using Kit = ContrastiveNotes.Tests.Training.TrainingTestKit;

namespace ContrastiveNotes.Tests;

/// <summary>One rule for class labels: losses, evaluation and training accept and refuse the same tensors.</summary>
public class ClassLabelsTests
{
    [Fact]
    public void BoolAndFloatLabelsAreRefusedTheSameWayByALossTheEvaluationAndTheTrainer()
    {
        var features = randn(8, 4);
        var (images, _) = Kit.Quadrants(8, seed: 1);
        foreach (var wrong in new[] { zeros(8, dtype: ScalarType.Bool), zeros(8, dtype: ScalarType.Float32) })
        {
            var messages = new[]
            {
                Assert.Throws<ArgumentException>(() => new SupConLoss(0.1).call(features.view(8, 1, 4), wrong)).Message,
                Assert.Throws<ArgumentException>(() => KnnClassifier.Predict(features, wrong, features, k: 3)).Message,
                Assert.Throws<ArgumentException>(() => new Trainer(new SupervisedMethod(Kit.Encoder(), Kit.Head(4)), new TrainingOptions { Epochs = 1 }).Fit(images, wrong, 4)).Message,
            };
            Assert.All(messages, m => Assert.Contains($"must be integer class labels (int64, int32, ... ), but its dtype is {wrong.dtype}", m));
        }
    }

    [Fact]
    public void Int32LabelsAreAcceptedAndTrainTheSupervisedBaselineLikeInt64Labels()
    {
        var (images, labels) = Kit.Quadrants(16, seed: 2);
        double Train(Tensor l)
        {
            var method = new SupervisedMethod(Kit.Initialize(Kit.Encoder(), 3), Kit.Initialize(Kit.Head(4), 4));
            using var trainer = new Trainer(method, new TrainingOptions { Epochs = 2, Seed = 5 });
            return trainer.Fit(images, l, 8).StepLosses[^1];
        }

        Assert.Equal(Train(labels), Train(labels.to_type(ScalarType.Int32)));
    }
}
