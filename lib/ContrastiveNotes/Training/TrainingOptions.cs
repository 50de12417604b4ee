using TorchSharp;

namespace ContrastiveNotes.Training;

/// <summary>
/// The knobs of a training run: length, optimizer, learning-rate schedule, checkpoints, seed and device.
/// Validated by <see cref="Validate"/> (the <see cref="Trainer"/> calls it) so that impossible values fail
/// early with a message saying what to change.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Number of passes over the data (at least 1).</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Peak learning rate, reached at the end of the warm-up (e.g. 1e-3 for Adam, 0.3 × batch/256 for LARS).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Learning rate at the very end of the cosine decay (0 by default, as in SimCLR).</summary>
    public double FinalLearningRate { get; init; }

    /// <summary>Weight decay (L2 for SGD/Adam/LARS, decoupled for AdamW); 0 turns it off.</summary>
    public double WeightDecay { get; init; }

    /// <summary>
    /// When true (the default, as in SimCLR, MoCo and BYOL), one-dimensional parameters (biases and
    /// BatchNorm/LayerNorm scales and shifts) get no weight decay and, with LARS, no trust-ratio adaptation.
    /// </summary>
    public bool ExcludeBiasAndNormFromWeightDecay { get; init; } = true;

    /// <summary>Length of the linear warm-up in epochs (may be fractional; 0 means none).</summary>
    public double WarmupEpochs { get; init; }

    /// <summary>Which optimizer to build.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>Momentum for SGD and LARS (β₁ is fixed at 0.9 for Adam/AdamW).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>LARS trust coefficient η (1e-3 in the LARS paper and in SimCLR).</summary>
    public double LarsTrustCoefficient { get; init; } = 1e-3;

    /// <summary>
    /// File the trainer writes checkpoints to (atomically: temporary file in the same folder, then rename),
    /// or null for no checkpoints.
    /// </summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Write a checkpoint every this many epochs (and always after the last one).</summary>
    public int CheckpointEveryEpochs { get; init; } = 1;

    /// <summary>Seed of the augmentation generator and of the per-epoch data order.</summary>
    public long Seed { get; init; }

    /// <summary>Device the method's modules, the batches and the augmentation generator live on.</summary>
    public torch.Device Device { get; init; } = torch.CPU;

    /// <summary>Report progress whenever the run's step count is a multiple of this (and always at the end of an epoch).</summary>
    public int ProgressEverySteps { get; init; } = 10;

    /// <summary>
    /// Stop a run whose loss has collapsed (unchanged for <see cref="DivergenceGuard.CollapseSteps"/> steps; true, the
    /// default). False lets it run on, for a lesson that shows collapse happen (SimSiam without its stop-gradient);
    /// non-finite and exploding losses and weights still stop it.
    /// </summary>
    public bool StopOnCollapse { get; init; } = true;

    /// <summary>
    /// The number format of the forward and backward pass (float32 by default). <see cref="TrainingPrecision.BFloat16"/>
    /// runs linear layers and convolutions in bfloat16 through <see cref="MixedPrecision"/> while the weights, their
    /// gradients, the optimizer state, normalisation and the loss stay float32: about twice as fast on a CPU with
    /// AVX512-BF16 (README Performance).
    /// </summary>
    public TrainingPrecision Precision { get; init; } = TrainingPrecision.Float32;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first impossible value and a sensible range.</summary>
    public void Validate()
    {
        Require(Epochs >= 1, nameof(Epochs), Epochs, "at least 1");
        Require(double.IsFinite(LearningRate) && LearningRate > 0, nameof(LearningRate), LearningRate,
            "a positive finite number (typical: 1e-3 for Adam, 0.1 for SGD, 0.3 × batchSize / 256 for LARS)");
        Require(double.IsFinite(FinalLearningRate) && FinalLearningRate >= 0 && FinalLearningRate <= LearningRate,
            nameof(FinalLearningRate), FinalLearningRate, $"between 0 and LearningRate ({LearningRate})");
        Require(double.IsFinite(WeightDecay) && WeightDecay >= 0, nameof(WeightDecay), WeightDecay,
            "0 or a small positive number (typical: 1e-6 for LARS, 1e-4 for SGD, 0.05 for AdamW)");
        Require(double.IsFinite(WarmupEpochs) && WarmupEpochs >= 0 && WarmupEpochs < Epochs, nameof(WarmupEpochs),
            WarmupEpochs, $"at least 0 and smaller than Epochs ({Epochs}) so that some epochs follow the warm-up");
        Require(Momentum >= 0 && Momentum < 1, nameof(Momentum), Momentum, "in [0, 1) (typical: 0.9)");
        Require(LarsTrustCoefficient > 0 && double.IsFinite(LarsTrustCoefficient), nameof(LarsTrustCoefficient),
            LarsTrustCoefficient, "a small positive number (typical: 1e-3)");
        Require(CheckpointEveryEpochs >= 1, nameof(CheckpointEveryEpochs), CheckpointEveryEpochs, "at least 1");
        Require(ProgressEverySteps >= 1, nameof(ProgressEverySteps), ProgressEverySteps, "at least 1");
        Require(Enum.IsDefined(Precision), nameof(Precision), Precision, "one of " + string.Join(", ", Enum.GetNames<TrainingPrecision>()));
        Require(Enum.IsDefined(Optimizer), nameof(Optimizer), Optimizer, "one of " + string.Join(", ", Enum.GetNames<OptimizerKind>()));
        if (CheckpointPath is not null)
        {
            string folder = Path.GetDirectoryName(Path.GetFullPath(CheckpointPath))!;
            if (string.IsNullOrWhiteSpace(Path.GetFileName(CheckpointPath)))
                throw new ArgumentException($"CheckpointPath must name a file, but '{CheckpointPath}' names a folder. Add a file name such as 'simclr.ckpt'.", nameof(CheckpointPath));
            if (!Directory.Exists(folder))
                throw new ArgumentException($"CheckpointPath's folder '{folder}' does not exist. Create it first (Directory.CreateDirectory) or choose another path.", nameof(CheckpointPath));
        }
    }

    private static void Require(bool ok, string name, object value, string expected)
    {
        if (!ok)
            throw new ArgumentException($"TrainingOptions.{name} must be {expected}, but it is {value}.", name);
    }
}
