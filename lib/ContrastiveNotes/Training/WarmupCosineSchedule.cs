namespace ContrastiveNotes.Training;

/// <summary>
/// Learning rate per optimizer step: a linear warm-up to the peak rate, then a half-cosine decay to the final
/// rate, as in SimCLR (Chen et al., 2020, arXiv:2002.05709) and SGDR without restarts (Loshchilov &amp; Hutter,
/// 2016, arXiv:1608.03983). A pure function of the step, so a resumed run only needs the step number.
/// </summary>
/// <remarks>
/// For step s (0-based) with W warm-up steps and T total steps:
/// s &lt; W: lr = peak · (s + 1) / W; otherwise, with p = (s − W) / (T − W − 1) (so the last step, T − 1, gets
/// the final rate): lr = final + ½ (peak − final)(1 + cos(π p)).
/// </remarks>
public sealed class WarmupCosineSchedule
{
    /// <summary>Creates the schedule; throws when the step counts or rates are impossible.</summary>
    /// <param name="peakLearningRate">Rate at the end of the warm-up.</param>
    /// <param name="warmupSteps">Number of warm-up steps (0 for none); smaller than <paramref name="totalSteps"/>.</param>
    /// <param name="totalSteps">Total number of optimizer steps in the run.</param>
    /// <param name="finalLearningRate">Rate the cosine reaches at the last step.</param>
    public WarmupCosineSchedule(double peakLearningRate, long warmupSteps, long totalSteps, double finalLearningRate = 0)
    {
        if (totalSteps < 1)
            throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "The schedule needs at least one step; check the number of epochs and batches per epoch.");
        if (warmupSteps < 0 || warmupSteps >= totalSteps)
            throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, $"Warm-up steps must be in [0, totalSteps = {totalSteps}); use fewer warm-up epochs.");
        if (!(peakLearningRate > 0) || !double.IsFinite(peakLearningRate))
            throw new ArgumentOutOfRangeException(nameof(peakLearningRate), peakLearningRate, "The peak learning rate must be positive and finite.");
        if (finalLearningRate < 0 || finalLearningRate > peakLearningRate)
            throw new ArgumentOutOfRangeException(nameof(finalLearningRate), finalLearningRate, $"The final learning rate must be in [0, peak = {peakLearningRate}].");
        PeakLearningRate = peakLearningRate;
        WarmupSteps = warmupSteps;
        TotalSteps = totalSteps;
        FinalLearningRate = finalLearningRate;
    }

    /// <summary>Rate at the end of the warm-up.</summary>
    public double PeakLearningRate { get; }

    /// <summary>Number of warm-up steps.</summary>
    public long WarmupSteps { get; }

    /// <summary>Total number of steps.</summary>
    public long TotalSteps { get; }

    /// <summary>Rate at the last step.</summary>
    public double FinalLearningRate { get; }

    /// <summary>Learning rate for the 0-based optimizer step <paramref name="step"/> (clamped to the last step).</summary>
    public double LearningRateAt(long step)
    {
        if (step < 0)
            throw new ArgumentOutOfRangeException(nameof(step), step, "Steps are counted from 0.");
        if (step < WarmupSteps)
            return PeakLearningRate * (step + 1) / WarmupSteps;
        long decaySteps = TotalSteps - WarmupSteps;
        double progress = decaySteps <= 1 ? 0 : Math.Min(1.0, (double)(step - WarmupSteps) / (decaySteps - 1));
        return FinalLearningRate + 0.5 * (PeakLearningRate - FinalLearningRate) * (1 + Math.Cos(Math.PI * progress));
    }
}
