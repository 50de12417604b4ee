namespace ContrastiveNotes.Training;

/// <summary>What one finished epoch left in the <see cref="TrainingHistory"/>.</summary>
/// <param name="Epoch">Epoch number, 1-based.</param>
/// <param name="MeanLoss">Mean of the epoch's step losses.</param>
/// <param name="LearningRate">Learning rate of the epoch's last step.</param>
/// <param name="Metrics">Metrics the per-epoch callback returned (e.g. "knn_accuracy"); empty without one.</param>
public sealed record TrainingEpochRecord(int Epoch, double MeanLoss, double LearningRate, IReadOnlyDictionary<string, double> Metrics);
