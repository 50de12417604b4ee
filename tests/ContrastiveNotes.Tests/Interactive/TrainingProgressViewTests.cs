using ContrastiveNotes.Interactive;
using ContrastiveNotes.Training;

namespace ContrastiveNotes.Tests.Interactive;

public class TrainingProgressViewTests
{
    [Fact]
    public void FromCopiesEveryFigureOfATrainerReport()
    {
        var report = new TrainingProgress("SimCLR", Epoch: 3, Epochs: 10, StepInEpoch: 7, StepsPerEpoch: 20, Step: 47, TotalSteps: 200,
            Loss: 4.25, EpochMeanLoss: 4.5, LearningRate: 0.002, ImagesPerSecond: 812.5,
            Elapsed: TimeSpan.FromSeconds(30), EstimatedRemaining: TimeSpan.FromSeconds(95))
        { RecentLosses = new[] { 5.0, 4.6, 4.25 } };

        var view = TrainingProgressView.From(report);

        Assert.Equal(3, view.Epoch);
        Assert.Equal(10, view.TotalEpochs);
        Assert.Equal(47, view.Step);
        Assert.Equal(200, view.TotalSteps);
        Assert.Equal(4.25, view.Loss);
        Assert.Equal(812.5, view.ImagesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(95), view.Eta);
        Assert.Equal(0.002, view.LearningRate);
        Assert.Equal(new[] { 5.0, 4.6, 4.25 }, view.RecentLosses);
        Assert.Equal(47.0 / 200, view.Fraction);
        Assert.Contains("epoch 3/10 · step 47/200 (24%) · loss 4.2500", view.ToString());
    }
}
