namespace ContrastiveNotes.Evaluation;

/// <summary>A trained linear probe with its accuracies.</summary>
/// <param name="Probe">The trained classifier (owns its tensors; dispose it when done).</param>
/// <param name="TrainAccuracy">Accuracy on the training features, in [0, 1].</param>
/// <param name="TestAccuracy">Accuracy on the test features, in [0, 1].</param>
public sealed record LinearProbeResult(LinearProbe Probe, double TrainAccuracy, double TestAccuracy)
{
    /// <inheritdoc />
    public override string ToString() => $"linear probe: train {TrainAccuracy:P2}, test {TestAccuracy:P2}";
}
