using System.Globalization;

namespace ContrastiveNotes.Training;

/// <summary>
/// One progress report of a <see cref="Trainer"/>: where the run is, the current loss and learning rate, the
/// throughput and the estimated time left. A plain record so that notebook displays and console writers can
/// take it; <see cref="ToString"/> is the one-line console form.
/// </summary>
/// <param name="Method">Name of the training method (e.g. "SimCLR").</param>
/// <param name="Epoch">Current epoch, 1-based.</param>
/// <param name="Epochs">Total number of epochs.</param>
/// <param name="StepInEpoch">Steps done in this epoch, 1-based.</param>
/// <param name="StepsPerEpoch">Steps in one epoch.</param>
/// <param name="Step">Steps done in the whole run.</param>
/// <param name="TotalSteps">Steps of the whole run.</param>
/// <param name="Loss">Loss of the latest step.</param>
/// <param name="EpochMeanLoss">Mean loss over this epoch's steps so far.</param>
/// <param name="LearningRate">Learning rate used by the latest step.</param>
/// <param name="ImagesPerSecond">Training throughput since this <c>Fit</c> call started.</param>
/// <param name="Elapsed">Wall time since this <c>Fit</c> call started.</param>
/// <param name="EstimatedRemaining">Estimated time until the last step.</param>
public sealed record TrainingProgress(
    string Method,
    int Epoch,
    int Epochs,
    long StepInEpoch,
    long StepsPerEpoch,
    long Step,
    long TotalSteps,
    double Loss,
    double EpochMeanLoss,
    double LearningRate,
    double ImagesPerSecond,
    TimeSpan Elapsed,
    TimeSpan EstimatedRemaining)
{
    /// <summary>The latest step losses (up to <see cref="Trainer.RecentLossWindow"/>), oldest first, for a sparkline.</summary>
    public IReadOnlyList<double> RecentLosses { get; init; } = Array.Empty<double>();

    /// <summary>True when this report closes an epoch.</summary>
    public bool IsEpochEnd => StepInEpoch == StepsPerEpoch;

    /// <summary>Fraction of the run done, in [0, 1].</summary>
    public double Fraction => TotalSteps == 0 ? 1 : (double)Step / TotalSteps;

    /// <summary>The console line, e.g. <c>SimCLR epoch 2/10 step 120/1000 (12%) loss 4.1234 lr 3.00e-01 812 img/s ETA 0:01:23</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Method} epoch {Epoch}/{Epochs} step {Step}/{TotalSteps} ({Fraction * 100:F0}%) loss {Loss:F4} (epoch mean {EpochMeanLoss:F4}) " +
        $"lr {LearningRate:0.00e+00} {ImagesPerSecond:F0} img/s ETA {FormatDuration(EstimatedRemaining)}");

    private static string FormatDuration(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours}:{span:mm\\:ss}" : span.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
