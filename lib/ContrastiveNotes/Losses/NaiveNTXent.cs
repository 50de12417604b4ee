using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Losses;

/// <summary>
/// FOR TEACHING ONLY: two wrong NT-Xent implementations that people often write, kept so that the course's
/// "spot the bug" exercise can compare them with <see cref="NTXentLoss"/>. Both run, both return plausible-looking
/// numbers that go down during training, and both are wrong. Never train with them.
/// </summary>
public static class NaiveNTXent
{
    /// <summary>
    /// BUG: the self-similarity <c>cos(z_i, z_i) / τ = 1 / τ</c> is left in the softmax denominator. It is the
    /// largest logit of every row, so it adds a constant-ish <c>exp(1/τ)</c> term that no gradient can reduce:
    /// the loss is larger than the correct one and its gradient toward the positive is damped (badly so for
    /// small τ). Labels are correct (<c>i ± N</c>).
    /// </summary>
    /// <param name="z1">Projections of the first views, <c>[N, D]</c>.</param>
    /// <param name="z2">Projections of the second views, <c>[N, D]</c>.</param>
    /// <param name="temperature">τ &gt; 0.</param>
    /// <returns>A scalar tensor (wrong on purpose).</returns>
    public static Tensor WithoutSelfMask(Tensor z1, Tensor z2, double temperature)
    {
        var logits = NTXentLoss.CosineSimilarityMatrix(z1, z2, temperature);
        return nn.functional.cross_entropy(logits, NTXentLoss.PositiveIndex(z1.shape[0], logits.device));
    }

    /// <summary>
    /// BUG: the cross-entropy labels are <c>0, 1, ..., 2N-1</c>, i.e. each row's "positive" is the anchor itself
    /// (the CLIP-style <c>arange</c> labels copied into a loss whose positive sits at <c>i ± N</c>). It is written,
    /// as this bug usually is, without the self mask (with the mask the target logit would be the masked value and
    /// the loss would explode, which nobody misses). The self-similarity is always <c>1/τ</c>, so the loss only
    /// pushes every other sample away, including the other view: the model learns nothing about augmentations.
    /// </summary>
    /// <param name="z1">Projections of the first views, <c>[N, D]</c>.</param>
    /// <param name="z2">Projections of the second views, <c>[N, D]</c>.</param>
    /// <param name="temperature">τ &gt; 0.</param>
    /// <returns>A scalar tensor (wrong on purpose).</returns>
    public static Tensor LabelsPointAtAnchor(Tensor z1, Tensor z2, double temperature)
    {
        var logits = NTXentLoss.CosineSimilarityMatrix(z1, z2, temperature);
        var anchorItself = torch.arange(logits.shape[0], dtype: ScalarType.Int64, device: logits.device);
        return nn.functional.cross_entropy(logits, anchorItself);
    }
}
