using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Losses;

/// <summary>
/// Supervised contrastive loss, the <c>L_out</c> form (Khosla et al. 2020, "Supervised Contrastive Learning",
/// arXiv:2004.11362, eq. 2): every other sample with the anchor's label, in any view, is a positive. Without labels
/// the only positives are the anchor's other views, which is SimCLR's NT-Xent.
/// </summary>
/// <remarks>
/// The <c>B × V</c> views are L2-normalised and flattened into anchors <c>i ∈ I</c>. With <c>A(i) = I \ {i}</c> and
/// positives <c>P(i) = {p ∈ A(i) : y_p = y_i}</c>:
/// <code>
/// l_i = -(τ / τ_base) · 1/|P(i)| · Σ_{p ∈ P(i)} log( exp(z_i·z_p / τ) / Σ_{a ∈ A(i)} exp(z_i·z_a / τ) )
/// </code>
/// The loss is the mean of <c>l_i</c> over the anchors that have at least one positive (the paper sums; the
/// reference code averages). Anchors without any positive (a label seen once with one view) are excluded rather
/// than producing NaN; if no anchor has a positive an <see cref="ArgumentException"/> is thrown, because a loss of
/// 0 would silently train nothing. The factor <c>τ / τ_base</c> is the reference code's; with
/// <c>τ = τ_base</c>, two views and distinct labels this equals <see cref="NTXentLoss"/> exactly.
/// </remarks>
public sealed class SupConLoss : nn.Module<Tensor, Tensor?, Tensor>
{
    /// <summary>Creates the loss (the reference code's defaults: τ = τ_base = 0.07).</summary>
    /// <param name="temperature">τ &gt; 0.</param>
    /// <param name="baseTemperature">τ_base &gt; 0, which rescales the loss by τ / τ_base.</param>
    public SupConLoss(double temperature = 0.07, double baseTemperature = 0.07) : base(nameof(SupConLoss))
    {
        LossInputs.RequirePositive(temperature, nameof(temperature), "SupCon uses 0.07 (0.1 also works well).");
        LossInputs.RequirePositive(baseTemperature, nameof(baseTemperature), "Keep it equal to the temperature unless you reproduce the reference's scaling.");
        Temperature = temperature;
        BaseTemperature = baseTemperature;
    }

    /// <summary>The temperature τ.</summary>
    public double Temperature { get; }

    /// <summary>The base temperature τ_base.</summary>
    public double BaseTemperature { get; }

    /// <summary>The mean supervised contrastive loss over the anchors that have a positive.</summary>
    /// <param name="features">Projections <c>[B, V, D]</c>: V views of each of B images.</param>
    /// <param name="labels">Class labels <c>[B]</c> (integer), or null for the unsupervised (SimCLR) case.</param>
    /// <returns>A scalar tensor.</returns>
    public override Tensor forward(Tensor features, Tensor? labels)
    {
        LossInputs.RequireFloating(features, 3, nameof(features), "[batch, views, dim]");
        long batch = features.shape[0], views = features.shape[1];
        var device = features.device;
        var sampleLabels = labels is null
            ? torch.arange(batch, dtype: ScalarType.Int64, device: device)
            : RequireLabelsOn(labels, features);

        // View-major order, as in the reference: anchors 0..B-1 are view 1, B..2B-1 view 2, ...
        var z = nn.functional.normalize(torch.cat(features.unbind(1), 0), p: 2, dim: 1);
        var anchorLabels = sampleLabels.repeat(views);
        var self = torch.eye(batch * views, dtype: ScalarType.Bool, device: device);
        var positives = anchorLabels.unsqueeze(1).eq(anchorLabels.unsqueeze(0)).logical_and(self.logical_not());

        var logits = (z.matmul(z.t()) / Temperature).masked_fill(self, NTXentLoss.SelfSimilarityLogit);
        var logProb = logits.log_softmax(1);
        var positiveCount = positives.sum(1);
        var hasPositive = positiveCount > 0;
        // With two or more views every anchor has its other view as a positive; only then can none have one.
        if (views < 2 && !hasPositive.any().item<bool>())
            throw new ArgumentException(
                "SupCon found no anchor with a positive: every label occurs once and there is a single view. " +
                "Pass at least 2 views per image ([B, 2, D]) or a batch in which some labels repeat.",
                nameof(labels));

        var meanLogProbPositive = logProb.masked_fill(positives.logical_not(), 0).sum(1)[hasPositive]
                                  / positiveCount[hasPositive].to_type(logProb.dtype);
        return -(Temperature / BaseTemperature) * meanLogProbPositive.mean();
    }

    private static Tensor RequireLabelsOn(Tensor labels, Tensor features)
    {
        LossInputs.RequireLabels(labels, features.shape[0], nameof(labels));
        if (!LossInputs.SameDevice(labels, features))
            throw new ArgumentException(
                $"labels must be on the features' device {features.device}, but they are on {labels.device}. Move them with .to(device).",
                nameof(labels));
        return labels;
    }
}
