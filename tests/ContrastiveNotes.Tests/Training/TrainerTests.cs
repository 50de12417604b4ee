using ContrastiveNotes.Training;
using TorchSharp;
using static TorchSharp.torch;
using Kit = ContrastiveNotes.Tests.Training.TrainingTestKit;

namespace ContrastiveNotes.Tests.Training;

public class TrainerTests
{
    private static TrainingOptions Options(OptimizerKind kind, string? checkpoint = null, int epochs = 2,
        TrainingPrecision precision = TrainingPrecision.Float32) => new()
    {
        Precision = precision,
        Epochs = epochs,
        Optimizer = kind,
        LearningRate = kind is OptimizerKind.Adam or OptimizerKind.AdamW ? 3e-3 : 0.1,
        WeightDecay = 1e-4,
        WarmupEpochs = 0.5,
        Seed = 42,
        CheckpointPath = checkpoint,
        ProgressEverySteps = 1,
    };

    private static (Tensor Images, Tensor Labels) Data() => Kit.Quadrants(48, seed: 3); // 6 batches of 8 per epoch

    [Theory]
    [InlineData("SimCLR", OptimizerKind.Adam)]
    [InlineData("SimCLR", OptimizerKind.Sgd)]
    [InlineData("SimCLR", OptimizerKind.Lars)]
    [InlineData("MoCo", OptimizerKind.Sgd)]
    [InlineData("SupCon", OptimizerKind.AdamW)]
    [InlineData("Supervised", OptimizerKind.Adam)]
    [InlineData("BYOL", OptimizerKind.Adam)]
    [InlineData("SimSiam", OptimizerKind.Sgd)]
    [InlineData("SimCLR", OptimizerKind.Adam, TrainingPrecision.BFloat16)]
    [InlineData("MoCo", OptimizerKind.Sgd, TrainingPrecision.BFloat16)]
    [InlineData("BYOL", OptimizerKind.Adam, TrainingPrecision.BFloat16)]
    public void ResumingAfterTheFirstEpochGivesTheUninterruptedResult(string methodName, OptimizerKind kind,
        TrainingPrecision precision = TrainingPrecision.Float32)
    {
        var (images, labels) = Data();
        var straight = Kit.Method(methodName, initSeed: 1);
        using (var trainer = new Trainer(straight, Options(kind, precision: precision)))
            trainer.Fit(images, labels, batchSize: 8);

        string path = Path.Combine(Kit.TempFolder(), "run.ckpt");
        var first = Kit.Method(methodName, initSeed: 1);
        using var cts = new CancellationTokenSource();
        using (var trainer = new Trainer(first, Options(kind, path, precision: precision)))
            Assert.Throws<OperationCanceledException>(() => trainer.Fit(images, labels, 8,
                epochMetrics: epoch => { cts.Cancel(); return new Dictionary<string, double> { ["epoch"] = epoch }; },
                cancellationToken: cts.Token));

        var resumed = Kit.Method(methodName, initSeed: 999); // different weights: everything must come from the checkpoint
        TrainingHistory history;
        using (var trainer = new Trainer(resumed, Options(kind, path, precision: precision)))
        {
            trainer.Resume();
            Assert.Equal(6, trainer.GlobalStep);
            Assert.Equal(1, trainer.CompletedEpochs);
            history = trainer.Fit(images, labels, batchSize: 8);
        }

        AssertParametersEqual(Kit.Flatten(straight), Kit.Flatten(resumed), 1e-6);
        Assert.All(resumed.Modules.SelectMany(m => m.parameters()), p => Assert.Equal(ScalarType.Float32, p.dtype));
        Assert.Equal(12, history.StepLosses.Count);
        Assert.Equal(2, history.Epochs.Count);
    }

    [Fact]
    public void CancellationMidEpochStopsBetweenStepsAndLeavesAResumableCheckpoint()
    {
        var (images, labels) = Data();
        var straight = Kit.SimClr(initSeed: 5);
        using (var trainer = new Trainer(straight, Options(OptimizerKind.Adam)))
            trainer.Fit(images, labels, 8);

        string path = Path.Combine(Kit.TempFolder(), "cancel.ckpt");
        var first = Kit.SimClr(initSeed: 5);
        using var cts = new CancellationTokenSource();
        var reports = new List<TrainingProgress>();
        using (var trainer = new Trainer(first, Options(OptimizerKind.Adam, path)))
        {
            var progress = new Kit.Callback(p => { reports.Add(p); if (p.Step == 9) cts.Cancel(); });
            Assert.Throws<OperationCanceledException>(() => trainer.Fit(images, labels, 8, progress, cancellationToken: cts.Token));
            Assert.Equal(9, trainer.GlobalStep);
        }
        Assert.Equal(Enumerable.Range(1, 9).Select(i => (long)i), reports.Select(r => r.Step));
        Assert.All(reports, r => Assert.True(double.IsFinite(r.Loss) && r.LearningRate > 0 && r.TotalSteps == 12 && r.StepsPerEpoch == 6));
        Assert.Equal(2, reports[^1].Epoch);
        Assert.Equal(3, reports[^1].StepInEpoch);
        Assert.Equal(reports.Select(r => r.Loss), reports[^1].RecentLosses);

        var resumed = Kit.SimClr(initSeed: 123);
        using (var trainer = new Trainer(resumed, Options(OptimizerKind.Adam, path)))
        {
            trainer.Resume();
            Assert.Equal(9, trainer.GlobalStep);
            trainer.Fit(images, labels, 8);
        }
        AssertParametersEqual(Kit.Flatten(straight), Kit.Flatten(resumed), 1e-6);
    }

    [Fact]
    public void ANonFiniteLossStopsWithAClearMessageAndKeepsTheLastGoodCheckpoint()
    {
        var (images, labels) = Data();
        string folder = Kit.TempFolder();
        string path = Path.Combine(folder, "nan.ckpt");
        var method = new PoisonedMethod(Kit.SimClr(initSeed: 2), poisonedCall: 9);
        byte[]? afterFirstEpoch = null;
        var progress = new Kit.Callback(p => { if (p.Step == 7) afterFirstEpoch = File.ReadAllBytes(path); });
        float[] weightsBeforeNan = Array.Empty<float>();

        TrainingDivergedException error;
        using (var trainer = new Trainer(method, Options(OptimizerKind.Sgd, path, epochs: 3)))
        {
            method.BeforePoison = () => weightsBeforeNan = Kit.Flatten(method);
            error = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(images, labels, 8, progress));
            Assert.Equal(8, trainer.GlobalStep);
        }

        Assert.Equal(9, error.Step);
        Assert.Equal(2, error.Epoch);
        Assert.True(double.IsNaN(error.Loss));
        Assert.Equal(5, error.RecentLosses.Count);
        Assert.All(error.RecentLosses, l => Assert.True(double.IsFinite(l)));
        Assert.Contains("step 9 (epoch 2)", error.Message);
        Assert.Contains("lower learning rate", error.Message);
        Assert.Contains("temperature", error.Message);
        Assert.Contains(path, error.Message);

        Assert.NotNull(afterFirstEpoch);
        Assert.Equal(afterFirstEpoch, File.ReadAllBytes(path));
        Assert.Equal(new[] { "nan.ckpt" }, Directory.GetFiles(folder).Select(Path.GetFileName));
        Assert.Equal(weightsBeforeNan, Kit.Flatten(method)); // the NaN step changed no weight

        var restored = Kit.SimClr(initSeed: 77);
        using var again = new Trainer(restored, Options(OptimizerKind.Sgd, path, epochs: 3));
        again.Resume();
        Assert.Equal(6, again.GlobalStep);
        Assert.Equal(1, again.CompletedEpochs);
    }

    [Fact]
    public void LiveTensorCountStaysFlatOverTwoThousandSteps()
    {
        var (images, labels) = Kit.Quadrants(32, seed: 4);
        var method = new SupervisedMethod(Kit.Initialize(Kit.Encoder(), 1), Kit.Initialize(Kit.Head(4), 2), Kit.Augment);
        var liveAtEpochEnds = new List<long>();
        var progress = new Kit.Callback(p =>
        {
            if (p.IsEpochEnd)
                liveAtEpochEnds.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        });
        using var trainer = new Trainer(method, new TrainingOptions { Epochs = 500, LearningRate = 1e-3, Seed = 1, ProgressEverySteps = 1000 });

        trainer.Fit(images, labels, batchSize: 8, progress); // 4 steps per epoch, 2000 steps

        Assert.Equal(2000, trainer.GlobalStep);
        Assert.Equal(500, liveAtEpochEnds.Count);
        long settled = liveAtEpochEnds[5];
        Assert.All(liveAtEpochEnds.Skip(5), count => Assert.Equal(settled, count));
    }

    [Fact]
    public void SupervisedBaselineLearnsAnEasyTaskAlmostPerfectly()
    {
        var (images, labels) = Kit.Quadrants(256, seed: 10);
        var (testImages, testLabels) = Kit.Quadrants(200, seed: 11);
        var method = new SupervisedMethod(Kit.Initialize(Kit.Encoder(), 3), Kit.Initialize(Kit.Head(4), 4));
        using var trainer = new Trainer(method, new TrainingOptions { Epochs = 15, LearningRate = 1e-2, WarmupEpochs = 1, Seed = 2 });

        var history = trainer.Fit(images, labels, batchSize: 32);

        method.SetTrainingMode(false);
        using var _ = no_grad();
        double accuracy = method.Predict(testImages).argmax(1).eq(testLabels).to(ScalarType.Float64).mean().ToDouble();
        Assert.True(accuracy > 0.95, $"test accuracy {accuracy:P1}; epoch losses {string.Join(", ", history.EpochLosses.Select(l => l.ToString("F3")))}");
    }

    [Fact]
    public void SimClrLowersTheLossOnATinySyntheticDataset()
    {
        var (images, labels) = Kit.Quadrants(128, seed: 12);
        var method = Kit.SimClr(initSeed: 8);
        using var trainer = new Trainer(method, new TrainingOptions { Epochs = 12, LearningRate = 3e-3, WarmupEpochs = 1, Seed = 3 });

        var history = trainer.Fit(images, labels, batchSize: 32);

        double first = history.EpochLosses[0], last = history.EpochLosses[^1];
        Assert.True(last < first - 0.1, $"SimCLR epoch loss should fall: {string.Join(", ", history.EpochLosses.Select(l => l.ToString("F3")))}");
        // NT-Xent with 2B = 64 views is at most log(63) for useless embeddings; training must get below it.
        Assert.True(last < Math.Log(63), $"last epoch loss {last} not below chance level log(63) = {Math.Log(63):F3}");
    }

    [Fact]
    public void EpochMetricsAndLearningRatesAreRecorded()
    {
        var (images, labels) = Kit.Quadrants(32, seed: 4);
        var method = Kit.SimClr(initSeed: 3);
        using var trainer = new Trainer(method, new TrainingOptions { Epochs = 3, LearningRate = 0.01, Seed = 1 });
        var modes = new List<bool>();
        var history = trainer.Fit(images, labels, 8, epochMetrics: epoch =>
        {
            modes.Add(method.Modules[0].training);
            return new Dictionary<string, double> { ["twice"] = 2.0 * epoch };
        });

        Assert.Equal(new[] { 2.0, 4.0, 6.0 }, history.Metric("twice"));
        Assert.Equal(new[] { false, false, false }, modes);
        Assert.True(method.Modules[0].training);
        Assert.Equal(12, history.StepLearningRates.Count);
        Assert.Equal(0.01, history.StepLearningRates[0], 12);              // no warm-up: peak first
        Assert.Equal(0.0, history.StepLearningRates[^1], 12);              // cosine ends at 0
        Assert.Equal(history.StepLosses.Take(4).Average(), history.Epochs[0].MeanLoss, 12);
    }

    [Fact]
    public void ResumeRejectsACheckpointOfAnEarlierFormatOrNoCheckpointAtAllWithWhatToDo()
    {
        string folder = Kit.TempFolder();
        string old = Path.Combine(folder, "old.ckpt"), text = Path.Combine(folder, "notes.txt");
        using (var writer = new BinaryWriter(File.Create(old)))
            writer.Write("ContrastiveNotes.TrainingCheckpoint/1");
        File.WriteAllText(text, "not a checkpoint");
        using var trainer = new Trainer(Kit.SimClr(1), new TrainingOptions { Epochs = 1 });

        Assert.Contains("has format 1, but this library reads format 2", Assert.Throws<InvalidDataException>(() => trainer.Resume(old)).Message);
        Assert.Contains("is not a ContrastiveNotes training checkpoint", Assert.Throws<InvalidDataException>(() => trainer.Resume(text)).Message);
    }

    [Fact]
    public void ResumeRejectsACheckpointOfAnotherMethodOrATruncatedFile()
    {
        var (images, labels) = Kit.Quadrants(16, seed: 4);
        string path = Path.Combine(Kit.TempFolder(), "simclr.ckpt");
        using (var trainer = new Trainer(Kit.SimClr(1), new TrainingOptions { Epochs = 1, CheckpointPath = path }))
            trainer.Fit(images, labels, 8);

        var supervised = new SupervisedMethod(Kit.Encoder(), Kit.Head(4));
        using (var other = new Trainer(supervised, new TrainingOptions { Epochs = 1 }))
            Assert.Contains("training method", Assert.Throws<InvalidDataException>(() => other.Resume(path)).Message);

        using (var longer = new Trainer(Kit.SimClr(1), new TrainingOptions { Epochs = 2 }))
            Assert.Contains("Epochs = 1", Assert.Throws<InvalidDataException>(() => longer.Resume(path)).Message);

        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        using var same = new Trainer(Kit.SimClr(1), new TrainingOptions { Epochs = 1 });
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => same.Resume(path)).Message);
        Assert.Throws<FileNotFoundException>(() => same.Resume(path + ".missing"));
    }

    private static void AssertParametersEqual(float[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= tolerance, $"largest parameter difference {worst} exceeds {tolerance}");
    }

    /// <summary>Wraps a method and returns NaN on one chosen call, to test the divergence guard.</summary>
    private sealed class PoisonedMethod(ITrainingMethod inner, int poisonedCall) : ITrainingMethod
    {
        private int _calls;

        public Action? BeforePoison { get; set; }

        public string Name => inner.Name;

        public IReadOnlyList<nn.Module> Modules => inner.Modules;

        public IEnumerable<(string Name, TorchSharp.Modules.Parameter Parameter)> TrainableParameters => inner.TrainableParameters;

        public TrainingStep Step(Tensor images, Tensor labels, Generator generator)
        {
            var step = inner.Step(images, labels, generator);
            if (++_calls != poisonedCall)
                return step;
            BeforePoison?.Invoke();
            return step with { Loss = step.Loss * double.NaN };
        }

        public void SetTrainingMode(bool training) => inner.SetTrainingMode(training);

        public void MoveTo(Device device) => inner.MoveTo(device);

        public IReadOnlyDictionary<string, Tensor> State => inner.State;

        public void LoadState(IReadOnlyDictionary<string, Tensor> state) => inner.LoadState(state);
    }
}
