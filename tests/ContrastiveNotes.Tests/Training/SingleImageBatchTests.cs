using ContrastiveNotes.Models;
using ContrastiveNotes.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Training;

/// <summary>A batch of one image through batch normalisation in training mode learns nothing, so the trainer refuses it.</summary>
public class SingleImageBatchTests
{
    private static TrainingOptions Options() => new() { Epochs = 1, LearningRate = 1e-3, Seed = 1, Device = CPU };

    [Fact]
    public void BatchNormOfOneImageMakesEveryFeatureZeroWhichIsWhyItIsRefused()
    {
        // The fact behind the rule: BatchNorm1d over a batch of one is (x - x) / sqrt(0 + eps), zero up to rounding,
        // whatever the input (here inputs of size ~10 come out below 1e-3).
        var norm = nn.BatchNorm1d(4);
        norm.train();
        Assert.True(norm.call(torch.randn(1, 4) * 10).abs().max().item<float>() < 1e-3);
    }

    [Fact]
    public void ABatchOfOneThroughBatchNormIsRefusedWithWhatToDo()
    {
        var method = new SupervisedMethod(new SmallConvNet(inChannels: 1, width: 4, featureDim: 8), classes: 2);
        using var trainer = new Trainer(method, Options());
        var images = torch.rand(3, 1, 28, 28);
        var labels = torch.tensor(new long[] { 0, 1, 0 });

        var e = Assert.Throws<ArgumentException>(() => trainer.Fit(images, labels, batchSize: 1));

        Assert.Contains("batch of 1 image", e.Message);
        Assert.Contains("batch size of at least 2", e.Message);
        Assert.Equal(0, trainer.GlobalStep);
    }

    [Fact]
    public void AModelWithoutBatchNormStillTrainsOnSingleImages()
    {
        var method = new SupervisedMethod(TrainingTestKit.Initialize(TrainingTestKit.Encoder(), 3), TrainingTestKit.Head(outputs: 2));
        using var trainer = new Trainer(method, Options());

        trainer.Fit(torch.rand(3, 1, TrainingTestKit.Size, TrainingTestKit.Size), torch.tensor(new long[] { 0, 1, 0 }), batchSize: 1);

        Assert.Equal(3, trainer.GlobalStep);
    }
}
