using ContrastiveNotes.Data;
using ContrastiveNotes.Models;
using ContrastiveNotes.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Training;

public class SupervisedAccuracyTests
{
    [Fact]
    public void AccuracyCountsArgmaxHitsInEvalModeAcrossUnevenBatchesAndRestoresTrainingMode()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(4);
        var encoder = new SmallConvNet(1, featureDim: 8, width: 4);
        var classifier = nn.Linear(8, 3);
        var method = new SupervisedMethod(encoder, classifier);
        var images = torch.randint(0, 256, new long[] { 10, 1, 28, 28 }, ScalarType.Byte, generator: new Generator(2));

        // Independent predictions: the whole set at once, in eval mode, float / 255.
        encoder.eval();
        classifier.eval();
        long[] predicted;
        using (torch.no_grad())
            predicted = classifier.call(encoder.call(images.to_type(ScalarType.Float32) / 255)).argmax(1).data<long>().ToArray();
        // Labels agree with the prediction for the first 6 images and disagree for the last 4: accuracy 0.6 exactly.
        var labels = torch.tensor(predicted.Select((p, i) => i < 6 ? p : (p + 1) % 3).ToArray());
        var data = new ImageDataset(images, labels, new[] { "a", "b", "c" }, "test");

        method.SetTrainingMode(true);
        double accuracy = method.Accuracy(data, CPU, batchSize: 3); // batches of 3, 3, 3, 1

        Assert.Equal(0.6, accuracy, 12);
        Assert.True(encoder.training, "Accuracy must restore the training mode it found.");
    }

    [Fact]
    public void AccuracyRejectsAnEmptyDatasetAndABatchSizeBelowOne()
    {
        using var scope = NewDisposeScope();
        var method = new SupervisedMethod(new SmallConvNet(1, featureDim: 8, width: 4), classes: 3);
        var empty = new ImageDataset(torch.zeros(new long[] { 0, 1, 28, 28 }, ScalarType.Byte), torch.zeros(0, ScalarType.Int64), new[] { "a", "b", "c" }, "empty");
        var one = new ImageDataset(torch.zeros(new long[] { 1, 1, 28, 28 }, ScalarType.Byte), torch.zeros(1, ScalarType.Int64), new[] { "a", "b", "c" }, "one");
        Assert.Contains("empty dataset", Assert.Throws<ArgumentException>(() => method.Accuracy(empty, CPU)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => method.Accuracy(one, CPU, batchSize: 0));
    }
}
