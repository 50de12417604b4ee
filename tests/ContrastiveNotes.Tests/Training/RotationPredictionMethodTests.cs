using ContrastiveNotes.Training;
using TorchSharp;
using static TorchSharp.torch;
using Kit = ContrastiveNotes.Tests.Training.TrainingTestKit;

namespace ContrastiveNotes.Tests.Training;

public class RotationPredictionMethodTests
{
    private static RotationPredictionMethod Method(long seed) =>
        new(Kit.Initialize(Kit.Encoder(), seed), Kit.Initialize(Kit.Head(4), seed + 1));

    /// <summary>Upright 8x8 images: noise with bright top two rows, so the rotation of each copy is visible.</summary>
    private static (Tensor Images, Tensor Labels) TopHeavy(int count, long seed)
    {
        using var generator = new Generator((ulong)seed, CPU);
        var noise = rand(new long[] { count, 1, Kit.Size, Kit.Size }, generator: generator).mul(0.3);
        var top = arange(Kit.Size).lt(2).to(ScalarType.Float32).view(1, 1, Kit.Size, 1).mul(0.6);
        return (noise.add(top), zeros(count, dtype: ScalarType.Int64));
    }

    [Fact]
    public void LossIsTheCrossEntropyOfPredictingEachImagesFourRotations()
    {
        var method = Method(1);
        var (images, labels) = Kit.Quadrants(3, seed: 2);
        using var generator = new Generator(3, CPU);
        double loss = method.ComputeLoss(images, labels, generator).item<float>();

        // Independent: rotate with loops, get logits image by image, cross-entropy in doubles.
        int n = Kit.Size;
        var pixels = images.contiguous().data<float>().ToArray();
        double total = 0;
        for (int k = 0; k < 4; k++)
            for (int b = 0; b < 3; b++)
            {
                var plane = new float[n * n];
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++)
                    {
                        // k counter-clockwise quarter turns: follow (i, j) back k times through out[i, j] = in[j, n-1-i].
                        int si = i, sj = j;
                        for (int t = 0; t < k; t++) (si, sj) = (sj, n - 1 - si);
                        plane[i * n + j] = pixels[b * n * n + si * n + sj];
                    }
                using var single = tensor(plane).view(1, 1, n, n);
                var logits = method.Predict(single).data<float>().Select(v => (double)v).ToArray();
                double max = logits.Max();
                double logSum = max + Math.Log(logits.Sum(v => Math.Exp(v - max)));
                total += logSum - logits[k];
            }
        Assert.Equal(total / 12, loss, 1e-5);
    }

    [Fact]
    public void TrainerLearnsToPredictRotationsOfAsymmetricImages()
    {
        var method = Method(4);
        var (images, labels) = TopHeavy(64, seed: 5);
        double before = method.PretextAccuracy(images, CPU);
        using var trainer = new Trainer(method, new TrainingOptions { Epochs = 8, LearningRate = 0.01, Seed = 6, ProgressEverySteps = 1000 });
        var history = trainer.Fit(images, labels, batchSize: 16);

        double after = method.PretextAccuracy(images, CPU, batchSize: 10);
        Assert.True(history.EpochLosses[^1] < history.EpochLosses[0], $"loss did not fall: {string.Join(", ", history.EpochLosses)}");
        Assert.True(after > 0.8 && after > before, $"pretext accuracy {before:F2} → {after:F2}; expected > 0.8 after training");
    }

    [Fact]
    public void PretextAccuracyRestoresTrainingModeAndAcceptsUint8()
    {
        var method = Method(7);
        method.SetTrainingMode(true);
        using var images = zeros(new long[] { 5, 1, Kit.Size, Kit.Size }, dtype: ScalarType.Byte);
        double accuracy = method.PretextAccuracy(images, CPU, batchSize: 2);
        Assert.InRange(accuracy, 0, 1);
        Assert.True(method.Encoder.training);
    }
}
