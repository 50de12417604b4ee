using ContrastiveNotes.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Training;

public class TrainerDataOrderTests
{
    [Fact]
    public void EachEpochSeesEveryImageOnceInAnOrderFixedBySeedAndEpoch()
    {
        var images = arange(40, dtype: ScalarType.Float32).div(40).view(10, 1, 2, 2);
        var labels = arange(10, dtype: ScalarType.Int64);
        var first = Record(images, labels, seed: 7);
        var again = Record(images, labels, seed: 7);
        var otherSeed = Record(images, labels, seed: 8);

        Assert.Equal(first, again);
        Assert.NotEqual(first, otherSeed);
        Assert.NotEqual(first[0], first[1]); // a new shuffle per epoch
        foreach (var epoch in first)
        {
            Assert.Equal(10, epoch.Count);     // 5 batches of 2, every image once
            Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), epoch.OrderBy(v => v));
        }
    }

    [Fact]
    public void Uint8ImagesAreScaledToTheUnitInterval()
    {
        var images = full(new long[] { 4, 1, 2, 2 }, 255, dtype: ScalarType.Byte);
        var method = new RecordingMethod();
        using var trainer = new Trainer(method, new TrainingOptions { Epochs = 1 });
        trainer.Fit(images, zeros(4, dtype: ScalarType.Int64), batchSize: 2);
        Assert.Equal(new[] { 1.0, 1.0 }, method.Maxima);
        Assert.All(method.Types, t => Assert.Equal(ScalarType.Float32, t));
    }

    [Fact]
    public void ASourceWithFewerBatchesThanPromisedFailsClearly()
    {
        var method = new RecordingMethod();
        using var trainer = new Trainer(method, new TrainingOptions { Epochs = 1 });
        var error = Assert.Throws<InvalidOperationException>(() => trainer.Fit(3, (_, _) => Batches(2)));
        Assert.Contains("ended after 2 batches in epoch 1, but 3 batches per epoch were promised", error.Message);
    }

    private static IEnumerable<(Tensor, Tensor)> Batches(int count)
    {
        for (int i = 0; i < count; i++)
            yield return (rand(2, 1, 2, 2), zeros(2, dtype: ScalarType.Int64));
    }

    private static List<List<long>> Record(Tensor images, Tensor labels, long seed)
    {
        var method = new RecordingMethod();
        using var trainer = new Trainer(method, new TrainingOptions { Epochs = 2, Seed = seed });
        trainer.Fit(images, labels, batchSize: 2);
        return method.Labels.Chunk(10).Select(c => c.ToList()).ToList();
    }

    /// <summary>Records what the trainer hands it; its loss is a trivial function of one parameter.</summary>
    private sealed class RecordingMethod : TrainingMethod
    {
        private readonly TorchSharp.Modules.Linear _layer;

        public RecordingMethod() : this(nn.Linear(1, 1)) { }

        private RecordingMethod(TorchSharp.Modules.Linear layer) : base(new nn.Module[] { layer }) => _layer = layer;

        public List<long> Labels { get; } = new();

        public List<double> Maxima { get; } = new();

        public List<ScalarType> Types { get; } = new();

        public override string Name => "Recording";

        public override Tensor ComputeLoss(Tensor images, Tensor labels, Generator generator)
        {
            Labels.AddRange(labels.data<long>().ToArray());
            Maxima.Add(images.max().ToDouble());
            Types.Add(images.dtype);
            return _layer.weight!.sum().mul(images.mean());
        }
    }
}

