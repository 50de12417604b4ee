using System.Globalization;

namespace ContrastiveNotes.Training;

/// <summary>
/// Thrown when a step's loss is NaN or infinite. Training stops before that step's update, so the model holds
/// the last good weights and the last checkpoint on disk is left as it was.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for the step (1-based in the run) and epoch (1-based) where the loss broke.</summary>
    public TrainingDivergedException(string method, long step, int epoch, double loss, IReadOnlyList<double> recentLosses, string? checkpointPath)
        : base(BuildMessage(method, step, epoch, loss, recentLosses, checkpointPath))
    {
        Step = step;
        Epoch = epoch;
        Loss = loss;
        RecentLosses = recentLosses;
    }

    /// <summary>The step (1-based, counted over the whole run) whose loss was not finite.</summary>
    public long Step { get; }

    /// <summary>The epoch (1-based) of that step.</summary>
    public int Epoch { get; }

    /// <summary>The offending loss value (NaN or ±∞).</summary>
    public double Loss { get; }

    /// <summary>The last finite losses before it, oldest first.</summary>
    public IReadOnlyList<double> RecentLosses { get; }

    private static string BuildMessage(string method, long step, int epoch, double loss, IReadOnlyList<double> recent, string? checkpointPath)
    {
        string last = recent.Count == 0 ? "none (it broke on the first step)"
            : string.Join(", ", recent.Select(l => l.ToString("G5", CultureInfo.InvariantCulture)));
        string checkpoint = checkpointPath is null ? "No checkpoint path was configured."
            : $"The last good checkpoint '{checkpointPath}' was left untouched; resume from it after changing the settings.";
        return $"{method} training diverged: the loss became {loss.ToString(CultureInfo.InvariantCulture)} at step {step} (epoch {epoch}). " +
               $"Last finite losses: {last}. {checkpoint} Try a lower learning rate (or a longer warm-up), a higher " +
               "temperature for contrastive losses, or check the inputs for NaN values.";
    }
}
