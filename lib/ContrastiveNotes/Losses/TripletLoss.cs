using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Losses;

/// <summary>
/// The triplet loss of FaceNet (Schroff, Kalenichenko &amp; Philbin 2015, arXiv:1503.03832, eq. 1): an anchor must be
/// closer to a positive (same identity) than to a negative by a margin α. Triplets are mined inside the batch from
/// labels, either all valid triplets or, with <c>batchHard</c>, the hardest positive and negative of each anchor
/// (Hermans, Beyer &amp; Leibe 2017, "In Defense of the Triplet Loss", arXiv:1703.07737).
/// </summary>
/// <remarks>
/// <code>
/// ℓ(a, p, n) = max(0, D(a, p) - D(a, n) + α)
/// </code>
/// with Euclidean distance D (FaceNet writes squared distances; Hermans et al. and PyTorch's TripletMarginLoss use
/// the plain distance, which is what this class does). Batch all: the mean of ℓ over every valid triplet
/// (<c>y_a = y_p</c>, <c>a ≠ p</c>, <c>y_n ≠ y_a</c>). Batch hard: for each anchor
/// <c>max(0, max_p D(a, p) - min_n D(a, n) + α)</c>, averaged over the anchors that have a positive and a negative.
/// For explicit triplets use <see cref="ForTriplets"/>.
/// </remarks>
public sealed class TripletLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the loss.</summary>
    /// <param name="margin">α &gt; 0 (FaceNet uses 0.2 on unit-length embeddings).</param>
    /// <param name="batchHard">True for batch-hard mining (Hermans et al.), false for all valid triplets.</param>
    public TripletLoss(double margin = 0.2, bool batchHard = true) : base(nameof(TripletLoss))
    {
        LossInputs.RequirePositive(margin, nameof(margin), "FaceNet uses 0.2 on unit-length embeddings.");
        Margin = margin;
        BatchHard = batchHard;
    }

    /// <summary>The margin α.</summary>
    public double Margin { get; }

    /// <summary>Whether only the hardest positive and negative of each anchor are used.</summary>
    public bool BatchHard { get; }

    /// <summary>The triplet loss with triplets mined from the batch.</summary>
    /// <param name="embeddings">Embeddings <c>[N, D]</c>.</param>
    /// <param name="labels">Integer labels <c>[N]</c>; the batch needs some class at least twice and two classes.</param>
    /// <returns>A scalar tensor.</returns>
    public override Tensor forward(Tensor embeddings, Tensor labels)
    {
        LossInputs.RequireFloating(embeddings, 2, nameof(embeddings), "[N, D]");
        LossInputs.RequireLabels(labels, embeddings.shape[0], nameof(labels));
        var distance = PairwiseDistances(embeddings);
        var sameLabel = labels.unsqueeze(1).eq(labels.unsqueeze(0));
        var self = torch.eye(labels.shape[0], dtype: ScalarType.Bool, device: labels.device);
        var isPositive = sameLabel.logical_and(self.logical_not());
        var isNegative = sameLabel.logical_not();
        return BatchHard
            ? HardestTriplets(distance, isPositive, isNegative)
            : AllTriplets(distance, isPositive, isNegative);
    }

    /// <summary>The mean FaceNet loss over explicit triplets, <c>max(0, D(a, p) - D(a, n) + α)</c>.</summary>
    /// <param name="anchor">Anchors <c>[N, D]</c>.</param>
    /// <param name="positive">Positives <c>[N, D]</c> (same identity as the anchors).</param>
    /// <param name="negative">Negatives <c>[N, D]</c> (other identities).</param>
    public Tensor ForTriplets(Tensor anchor, Tensor positive, Tensor negative)
    {
        LossInputs.RequireFloating(anchor, 2, nameof(anchor), "[N, D]");
        LossInputs.RequireSameShape(anchor, nameof(anchor), positive, nameof(positive));
        LossInputs.RequireSameShape(anchor, nameof(anchor), negative, nameof(negative));
        var toPositive = Distance(anchor - positive);
        var toNegative = Distance(anchor - negative);
        return (toPositive - toNegative + Margin).clamp_min(0).mean();
    }

    private Tensor AllTriplets(Tensor distance, Tensor isPositive, Tensor isNegative)
    {
        // valid[a, p, n] = p is a positive of a and n a negative of a.
        var valid = isPositive.unsqueeze(2).logical_and(isNegative.unsqueeze(1));
        RequireSomeTriplet(valid.any());
        var losses = (distance.unsqueeze(2) - distance.unsqueeze(1) + Margin).clamp_min(0);
        return losses[valid].mean();
    }

    private Tensor HardestTriplets(Tensor distance, Tensor isPositive, Tensor isNegative)
    {
        var usable = isPositive.any(1).logical_and(isNegative.any(1));
        RequireSomeTriplet(usable.any());
        var hardestPositive = distance.masked_fill(isPositive.logical_not(), double.NegativeInfinity).amax(1);
        var hardestNegative = distance.masked_fill(isNegative.logical_not(), double.PositiveInfinity).amin(1);
        return (hardestPositive - hardestNegative + Margin)[usable].clamp_min(0).mean();
    }

    private static void RequireSomeTriplet(Tensor anyValid)
    {
        if (!anyValid.item<bool>())
            throw new ArgumentException(
                "The batch contains no valid triplet: it needs a class that occurs at least twice and a second class. " +
                "Sample batches with several images per class (e.g. P classes x K images, as Hermans et al.).",
                "labels");
    }

    /// <summary>Euclidean distances <c>[N, N]</c> from explicit differences, with a zero-safe square root.</summary>
    private static Tensor PairwiseDistances(Tensor embeddings) =>
        Distance(embeddings.unsqueeze(1) - embeddings.unsqueeze(0));

    private static Tensor Distance(Tensor difference) => difference.pow(2).sum(-1).clamp_min(1e-12).sqrt();
}
