using ContrastiveNotes.Augmentations;
using ContrastiveNotes.Data;
using ContrastiveNotes.Models;
using ContrastiveNotes.Training;
using TorchSharp;
using Kit = ContrastiveNotes.Tests.Training.TrainingTestKit;

namespace ContrastiveNotes.Tests.Training;

/// <summary>The trainer with the course's own dataset, batch iterator, augmentations, encoder, head and losses.</summary>
public class TrainerWithCoursePartsTests
{
    private static SimClrMethod SimClr(long seed) => new(
        Kit.Initialize(new SmallConvNet(inChannels: 3, featureDim: 16, width: 4), seed),
        Kit.Initialize(new ProjectionHead(16, 16, 8), seed + 1),
        AugmentationPresets.SimClr(28, channels: 3).Apply, temperature: 0.5);

    private static TrainingOptions Options(string? checkpoint = null) => new()
    {
        Epochs = 2, Optimizer = OptimizerKind.Lars, LearningRate = 0.3, WeightDecay = 1e-6, WarmupEpochs = 1, Seed = 9,
        CheckpointPath = checkpoint,
    };

    [Fact]
    public void SimClrOnSyntheticShapesResumesExactlyThroughTheBatchIterator()
    {
        using var dataset = SyntheticShapes.Generate(24, seed: 1, size: 28); // 3 batches of 8 per epoch
        var straight = SimClr(3);
        using (var trainer = new Trainer(straight, Options()))
            trainer.Fit(dataset, batchSize: 8);

        string path = Path.Combine(Kit.TempFolder(), "shapes.ckpt");
        using var cts = new CancellationTokenSource();
        using (var trainer = new Trainer(SimClr(3), Options(path)))
            Assert.Throws<OperationCanceledException>(() => trainer.Fit(dataset, 8,
                epochMetrics: _ => { cts.Cancel(); return new Dictionary<string, double>(); }, cancellationToken: cts.Token));

        var resumed = SimClr(50);
        TrainingHistory history;
        using (var trainer = new Trainer(resumed, Options(path)))
        {
            trainer.Resume();
            history = trainer.Fit(dataset, 8);
        }

        var expected = Kit.Flatten(straight);
        var actual = Kit.Flatten(resumed);
        double worst = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= 1e-6, $"largest parameter difference {worst}");
        // BatchNorm running statistics are module state too: they must match as well.
        var expectedBuffers = straight.Modules.SelectMany(m => m.buffers()).SelectMany(b => b.to(torch.ScalarType.Float64).data<double>().ToArray()).ToArray();
        var actualBuffers = resumed.Modules.SelectMany(m => m.buffers()).SelectMany(b => b.to(torch.ScalarType.Float64).data<double>().ToArray()).ToArray();
        Assert.Equal(expectedBuffers, actualBuffers);
        Assert.Equal(6, history.StepLosses.Count);
        Assert.All(history.StepLosses, l => Assert.True(double.IsFinite(l)));
    }

    [Fact]
    public void EveryBatchOfThePrefetchingIteratorIsFreedByItsStep()
    {
        // The iterator builds batches on a worker thread, so the per-thread live count cannot see them; check
        // instead that each handed-out batch tensor has been disposed once the run is over.
        using var dataset = SyntheticShapes.Generate(24, seed: 2, size: 28);
        var method = new SupervisedMethod(Kit.Initialize(new SmallConvNet(3, 16, 4), 1), 4, new RandomHorizontalFlip(0.5).Apply);
        var handedOut = new List<torch.Tensor>();
        IEnumerable<(torch.Tensor, torch.Tensor)> Recorded(long seed)
        {
            foreach (var (images, labels) in new BatchIterator(dataset, 8, torch.CPU, seed, dropLast: true))
            {
                handedOut.Add(images);
                handedOut.Add(labels);
                yield return (images, labels);
            }
        }
        using var trainer = new Trainer(method, new TrainingOptions { Epochs = 3, Seed = 1 });

        trainer.Fit(3, (_, seed) => Recorded(seed));

        Assert.Equal(3 * 3 * 2, handedOut.Count);
        Assert.All(handedOut, t => Assert.True(t.IsInvalid, "a batch tensor outlived its step"));
    }
}
