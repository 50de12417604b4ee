using static TorchSharp.torch;

namespace ContrastiveNotes.Losses;

/// <summary>
/// The NT-Xent loss together with the two diagnostics the UvA deep-learning tutorial logs while training SimCLR:
/// how often the positive is the most similar candidate, and its mean rank among the <c>2N - 1</c> candidates.
/// </summary>
/// <param name="Loss">The scalar loss (differentiable).</param>
/// <param name="Top1Accuracy">Fraction of the <c>2N</c> anchors whose positive has the highest similarity, in [0, 1].</param>
/// <param name="MeanPositiveRank">
/// Mean 1-based rank of the positive among the <c>2N - 1</c> candidates (1 is best, <c>2N - 1</c> worst);
/// ties are counted in the positive's favour (rank = 1 + number of candidates strictly more similar).
/// </param>
public sealed record NTXentResult(Tensor Loss, double Top1Accuracy, double MeanPositiveRank);
