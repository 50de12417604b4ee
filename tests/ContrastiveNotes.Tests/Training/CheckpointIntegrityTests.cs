using ContrastiveNotes.Training;
using TorchSharp;
using static TorchSharp.torch;
using Kit = ContrastiveNotes.Tests.Training.TrainingTestKit;

namespace ContrastiveNotes.Tests.Training;

/// <summary>A checkpoint is verified whole before anything is loaded: corrupt, truncated or mismatched files change nothing.</summary>
public class CheckpointIntegrityTests
{
    private static string Checkpoint(ITrainingMethod method)
    {
        var (images, labels) = Kit.Quadrants(16, seed: 4);
        string path = Path.Combine(Kit.TempFolder(), "run.ckpt");
        using var trainer = new Trainer(method, new TrainingOptions { Epochs = 1, CheckpointPath = path });
        trainer.Fit(images, labels, 8);
        return path;
    }

    [Theory]
    [InlineData(64, 1)]
    [InlineData(1, 200)]
    [InlineData(16, 4000)]
    public void FlippedBytesAreFoundByTheChecksumAndNothingIsLoaded(int flips, int stride)
    {
        string path = Checkpoint(Kit.SimClr(1));
        var bytes = File.ReadAllBytes(path);
        for (int i = 0; i < flips; i++)
        {
            int at = 60 + i * stride;
            if (at < bytes.Length - 80) bytes[at] ^= 0x5A;
        }
        File.WriteAllBytes(path, bytes);
        var target = Kit.SimClr(2);
        var before = Kit.Flatten(target);
        using var trainer = new Trainer(target, new TrainingOptions { Epochs = 1 });

        var error = Assert.Throws<InvalidDataException>(() => trainer.Resume(path));

        Assert.Contains("is corrupt: its SHA-256 does not match", error.Message);
        Assert.Equal(before, Kit.Flatten(target));
        Assert.Equal(0, trainer.GlobalStep);
    }

    [Fact]
    public void ResumingIntoAnotherArchitectureNamesTheDifferenceAndChangesNothing()
    {
        string path = Checkpoint(Kit.SimClr(1));
        var wider = new SimClrMethod(Kit.Initialize(nn.Sequential(nn.Flatten(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 24)), 3),
            Kit.Initialize(nn.Linear(24, 8), 4), Kit.Augment, temperature: 0.5);
        var before = Kit.Flatten(wider);
        using var trainer = new Trainer(wider, new TrainingOptions { Epochs = 1 });

        var error = Assert.Throws<InvalidDataException>(() => trainer.Resume(path));

        Assert.Contains("does not fit this SimCLR", error.Message);
        Assert.Contains("[24, 32]", error.Message);
        Assert.Contains("nothing was loaded", error.Message);
        Assert.Equal(before, Kit.Flatten(wider));
    }

    [Fact]
    public void AMoCoQueueOfAnotherSizeIsRefusedBeforeAnyWeightIsLoaded()
    {
        string path = Checkpoint(Kit.Method("MoCo", initSeed: 1));
        var other = new MoCoMethod(() => Kit.Initialize(Kit.Encoder(), 5), () => Kit.Initialize(Kit.Head(), 6), Kit.Augment,
            projectionDim: 8, queueSize: 24, temperature: 0.2, momentum: 0.9, queueSeed: 5);
        var before = Kit.Flatten(other);
        var queueBefore = other.Queue.Keys.data<float>().ToArray();
        using var trainer = new Trainer(other, new TrainingOptions { Epochs = 1 });

        var error = Assert.Throws<InvalidDataException>(() => trainer.Resume(path));

        Assert.Contains("queue", error.Message);
        Assert.Equal(before, Kit.Flatten(other));
        Assert.Equal(queueBefore, other.Queue.Keys.data<float>().ToArray());
    }

    [Fact]
    public void ATrainingCheckpointLoadedAsWeightsIsAClearErrorNotANativeOne()
    {
        string path = Checkpoint(Kit.SimClr(1));

        var error = Assert.Throws<InvalidDataException>(() => ContrastiveNotes.Models.ModelWeights.Load(Kit.Encoder(), path));

        Assert.Contains("is not a readable TorchSharp weights file", error.Message);
    }
}
