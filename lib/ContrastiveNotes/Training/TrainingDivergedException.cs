using System.Globalization;

namespace ContrastiveNotes.Training;

/// <summary>
/// Thrown by the <see cref="DivergenceGuard"/> when a run diverges (<see cref="Reason"/>: a NaN or infinite loss,
/// an exploded loss, a collapsed model, or a step that made the weights non-finite). Training stops before that
/// step's update is kept, so the model holds the weights from before it and the last checkpoint on disk is left
/// as it was (a checkpoint is never written from non-finite weights).
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for the step (1-based in the run) and epoch (1-based) where the loss broke.</summary>
    public TrainingDivergedException(string method, long step, int epoch, double loss, IReadOnlyList<double> recentLosses, string? checkpointPath,
        DivergenceReason reason = DivergenceReason.NonFiniteLoss)
        : base(BuildMessage(method, step, epoch, loss, recentLosses, checkpointPath, reason))
    {
        Reason = reason;
        Step = step;
        Epoch = epoch;
        Loss = loss;
        RecentLosses = recentLosses;
    }

    /// <summary>What went wrong.</summary>
    public DivergenceReason Reason { get; }

    /// <summary>The step (1-based, counted over the whole run) where it went wrong.</summary>
    public long Step { get; }

    /// <summary>The epoch (1-based) of that step.</summary>
    public int Epoch { get; }

    /// <summary>That step's loss (NaN or ±∞ for <see cref="DivergenceReason.NonFiniteLoss"/>).</summary>
    public double Loss { get; }

    /// <summary>The last finite losses before it, oldest first.</summary>
    public IReadOnlyList<double> RecentLosses { get; }

    private static string BuildMessage(string method, long step, int epoch, double loss, IReadOnlyList<double> recent, string? checkpointPath, DivergenceReason reason)
    {
        string value = loss.ToString("G6", CultureInfo.InvariantCulture);
        string what = reason switch
        {
            DivergenceReason.Exploded => $"the loss exploded to {value} at step {step} (epoch {epoch}), more than {DivergenceGuard.ExplosionFactor:0} times its first value",
            DivergenceReason.Collapsed => $"the model collapsed: the loss has been {value} for {DivergenceGuard.CollapseSteps} steps in a row up to step {step} (epoch {epoch}), " +
                "which happens only when every input is mapped to the same point (for NT-Xent that loss is ln(2N − 1), for SimSiam −1); " +
                "to watch a collapse on purpose, set TrainingOptions.StopOnCollapse = false",
            DivergenceReason.NonFiniteWeights => $"the optimizer step at step {step} (epoch {epoch}) made weights NaN or infinite (loss {value}); the weights from before that step were put back",
            DivergenceReason.WeightsExploded => $"the optimizer step at step {step} (epoch {epoch}) grew the weights' norm more than {DivergenceGuard.ExplosionFactor:0} times its value at the start (loss {value}); the weights from before that step were put back",
            _ => $"the loss became {loss.ToString(CultureInfo.InvariantCulture)} at step {step} (epoch {epoch})",
        };
        string last = recent.Count == 0 ? "none (it broke on the first step)"
            : string.Join(", ", recent.Select(l => l.ToString("G5", CultureInfo.InvariantCulture)));
        string checkpoint = checkpointPath is null ? "No checkpoint path was configured."
            : $"The last good checkpoint '{checkpointPath}' was left untouched; resume from it after changing the settings.";
        return $"{method} training diverged: {what}. " +
               $"Last finite losses: {last}. {checkpoint} Try a lower learning rate (or a longer warm-up), a higher " +
               "temperature for contrastive losses, or check the inputs for NaN values.";
    }
}
