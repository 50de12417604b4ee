using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Losses;

/// <summary>
/// The negative cosine similarity between a prediction and a stop-gradient target, the loss of SimSiam
/// (Chen &amp; He 2020, "Exploring Simple Siamese Representation Learning", arXiv:2011.10566, eq. 1) and, up to
/// <c>2 - 2 cos = ‖p̂ - ẑ‖²</c>, of BYOL (Grill et al. 2020, arXiv:2006.07733, eq. 2).
/// </summary>
/// <remarks>
/// <code>D(p, z) = -mean_i ( p_i / ‖p_i‖ · z_i / ‖z_i‖ )</code>, with <c>z</c> detached: the gradient flows only
/// through the predictor side; without the stop-gradient SimSiam collapses.
/// </remarks>
public sealed class NegativeCosineSimilarityLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the loss.</summary>
    public NegativeCosineSimilarityLoss() : base(nameof(NegativeCosineSimilarityLoss)) { }

    /// <summary>The mean of <c>-cos(p_i, stopgrad(z_i))</c>, in [-1, 1].</summary>
    /// <param name="predictions">Predictor outputs <c>[N, D]</c>.</param>
    /// <param name="targets">Projections of the other view <c>[N, D]</c>; detached here.</param>
    /// <returns>A scalar tensor.</returns>
    public override Tensor forward(Tensor predictions, Tensor targets)
    {
        LossInputs.RequireFloating(predictions, 2, nameof(predictions), "[N, D]");
        LossInputs.RequireFloating(targets, 2, nameof(targets), "[N, D]");
        LossInputs.RequireSameShape(predictions, nameof(predictions), targets, nameof(targets));
        return Between(predictions, targets.detach());
    }

    /// <summary>
    /// <c>D(p, z) = −mean_i cos(p_i, z_i)</c> without the stop-gradient: the one formula behind this loss, SimSiam's
    /// ablation without stop-gradient, and BYOL's <c>2 − 2 cos</c> (= 2 + 2 D).
    /// </summary>
    /// <param name="predictions">Predictions <c>[N, D]</c>.</param>
    /// <param name="targets">Targets <c>[N, D]</c>, not detached here.</param>
    internal static Tensor Between(Tensor predictions, Tensor targets) =>
        -(nn.functional.normalize(predictions, p: 2, dim: 1) * nn.functional.normalize(targets, p: 2, dim: 1)).sum(1).mean();

    /// <summary>SimSiam's symmetric loss <c>½ D(p1, z2) + ½ D(p2, z1)</c>.</summary>
    /// <param name="predictions1">Predictions from view 1 <c>[N, D]</c>.</param>
    /// <param name="predictions2">Predictions from view 2 <c>[N, D]</c>.</param>
    /// <param name="targets1">Projections of view 1 <c>[N, D]</c>.</param>
    /// <param name="targets2">Projections of view 2 <c>[N, D]</c>.</param>
    public Tensor Symmetric(Tensor predictions1, Tensor predictions2, Tensor targets1, Tensor targets2) =>
        0.5 * forward(predictions1, targets2) + 0.5 * forward(predictions2, targets1);
}
