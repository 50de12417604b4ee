using static TorchSharp.torch;

namespace ContrastiveNotes.Evaluation;

/// <summary>The outcome of a weighted kNN evaluation.</summary>
/// <param name="Accuracy">Fraction of test samples whose predicted class equals the label, in [0, 1].</param>
/// <param name="Predictions">Predicted class per test sample, int64 <c>[testCount]</c>.</param>
public sealed record KnnResult(double Accuracy, Tensor Predictions)
{
    /// <inheritdoc />
    public override string ToString() => $"kNN accuracy {Accuracy:P2} on {Predictions.shape[0]} samples";
}
