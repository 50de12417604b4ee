using ContrastiveNotes.Training;

namespace ContrastiveNotes.Tests.Training;

public class TrainingOptionsTests
{
    public static TheoryData<TrainingOptions, string> Impossible() => new()
    {
        { new TrainingOptions { Epochs = 0 }, "Epochs" },
        { new TrainingOptions { LearningRate = 0 }, "LearningRate" },
        { new TrainingOptions { LearningRate = double.NaN }, "LearningRate" },
        { new TrainingOptions { WeightDecay = -1 }, "WeightDecay" },
        { new TrainingOptions { Epochs = 5, WarmupEpochs = 5 }, "WarmupEpochs" },
        { new TrainingOptions { Momentum = 1 }, "Momentum" },
        { new TrainingOptions { CheckpointEveryEpochs = 0 }, "CheckpointEveryEpochs" },
        { new TrainingOptions { FinalLearningRate = 1, LearningRate = 0.1 }, "FinalLearningRate" },
        { new TrainingOptions { CheckpointPath = "/no/such/folder/run.ckpt" }, "does not exist" },
        { new TrainingOptions { Optimizer = (OptimizerKind)42 }, "Optimizer" },
    };

    [Theory]
    [MemberData(nameof(Impossible))]
    public void ImpossibleValuesThrowNamingTheSetting(TrainingOptions options, string expectedInMessage)
    {
        var error = Assert.ThrowsAny<ArgumentException>(options.Validate);
        Assert.Contains(expectedInMessage, error.Message);
    }

    [Fact]
    public void DefaultsAreValid() => new TrainingOptions().Validate();
}
