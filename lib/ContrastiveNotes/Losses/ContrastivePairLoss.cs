using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Losses;

/// <summary>
/// The margin-based contrastive loss on pairs of Hadsell, Chopra &amp; LeCun 2006 ("Dimensionality Reduction by
/// Learning an Invariant Mapping", CVPR, eq. 4): similar pairs are pulled together, dissimilar pairs are pushed
/// apart until their distance reaches the margin m.
/// </summary>
/// <remarks>
/// The paper writes <c>L = (1 - Y) · ½ D² + Y · ½ max(0, m - D)²</c> with Euclidean distance
/// <c>D = ‖x1 - x2‖₂</c> and the (surprising) convention <b>Y = 0 for a similar pair, Y = 1 for a dissimilar
/// one</b>. This class takes <c>same</c> instead, where <b>1 (true) means similar</b>, i.e. <c>Y = 1 - same</c>:
/// <code>
/// L = same · ½ D² + (1 - same) · ½ max(0, m - D)²
/// </code>
/// averaged over the N pairs (the paper sums).
/// </remarks>
public sealed class ContrastivePairLoss : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    /// <summary>Creates the loss with margin m.</summary>
    /// <param name="margin">m &gt; 0: dissimilar pairs farther apart than m cost nothing.</param>
    public ContrastivePairLoss(double margin = 1.0) : base(nameof(ContrastivePairLoss))
    {
        LossInputs.RequirePositive(margin, nameof(margin), "Use a distance scale of your embeddings, e.g. 1.0.");
        Margin = margin;
    }

    /// <summary>The margin m.</summary>
    public double Margin { get; }

    /// <summary>The mean pair loss.</summary>
    /// <param name="x1">First embeddings of the pairs <c>[N, D]</c>.</param>
    /// <param name="x2">Second embeddings of the pairs <c>[N, D]</c>.</param>
    /// <param name="same">
    /// <c>[N]</c> bool, integer or float 0/1: 1 (true) when the pair is similar (same class), 0 when dissimilar.
    /// Note: the opposite of the paper's Y.
    /// </param>
    /// <returns>A scalar tensor.</returns>
    public override Tensor forward(Tensor x1, Tensor x2, Tensor same)
    {
        LossInputs.RequireFloating(x1, 2, nameof(x1), "[N, D]");
        LossInputs.RequireFloating(x2, 2, nameof(x2), "[N, D]");
        LossInputs.RequireSameShape(x1, nameof(x1), x2, nameof(x2));
        if (same.dim() != 1 || same.shape[0] != x1.shape[0])
            throw new ArgumentException(
                $"same must have shape [{x1.shape[0]}] (one 0/1 flag per pair), but its shape is {Shapes.Format(same)}. " +
                "Pass 1 (true) for similar pairs and 0 (false) for dissimilar ones.", nameof(same));

        var similar = same.to_type(x1.dtype);
        var squaredDistance = (x1 - x2).pow(2).sum(1);
        var distance = squaredDistance.clamp_min(1e-12).sqrt();
        var pull = 0.5 * squaredDistance;
        var push = 0.5 * (Margin - distance).clamp_min(0).pow(2);
        return (similar * pull + (1 - similar) * push).mean();
    }
}
