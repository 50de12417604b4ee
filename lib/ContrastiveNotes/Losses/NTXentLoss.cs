using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Losses;

/// <summary>
/// NT-Xent (normalised temperature-scaled cross-entropy), the SimCLR form of InfoNCE
/// (Chen, Kornblith, Norouzi &amp; Hinton 2020, "A Simple Framework for Contrastive Learning of Visual
/// Representations", arXiv:2002.05709, eq. 1).
/// </summary>
/// <remarks>
/// The two views' projections <c>z1, z2 [N, D]</c> are stacked into <c>2N</c> L2-normalised vectors
/// <c>z_0 ... z_{2N-1}</c> (view 1 first). For anchor <c>i</c> with positive <c>j(i) = i ± N</c> (its other view):
/// <code>
/// l_i = -log( exp(sim(z_i, z_j(i)) / τ) / Σ_{k ≠ i} exp(sim(z_i, z_k) / τ) )
/// </code>
/// with cosine similarity <c>sim</c> and temperature <c>τ</c>; the denominator holds the positive and the
/// <c>2(N - 1)</c> negatives. The loss is the mean of <c>l_i</c> over all <c>2N</c> anchors. The self-similarity
/// <c>k = i</c> is removed by setting its logit to a large negative number (not <c>-inf</c>, which turns into NaN
/// once multiplied by 0 in some formulations).
/// </remarks>
public sealed class NTXentLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>The logit given to each anchor's similarity with itself, so that <c>exp</c> of it is 0.</summary>
    public const double SelfSimilarityLogit = -1e9;

    /// <summary>Creates the loss with temperature τ (SimCLR uses 0.5 for CIFAR-10 with batch 512, 0.1 for ImageNet).</summary>
    /// <param name="temperature">τ &gt; 0; smaller values sharpen the softmax and weigh hard negatives more.</param>
    public NTXentLoss(double temperature = 0.5) : base(nameof(NTXentLoss))
    {
        LossInputs.RequirePositive(temperature, nameof(temperature), "SimCLR uses values between 0.1 and 1, e.g. 0.5.");
        Temperature = temperature;
    }

    /// <summary>The temperature τ.</summary>
    public double Temperature { get; }

    /// <summary>The mean NT-Xent loss over the <c>2N</c> anchors.</summary>
    /// <param name="z1">Projections of the first views, <c>[N, D]</c> (need not be normalised).</param>
    /// <param name="z2">Projections of the second views of the same images in the same order, <c>[N, D]</c>.</param>
    /// <returns>A scalar tensor.</returns>
    public override Tensor forward(Tensor z1, Tensor z2)
    {
        var (logits, positives) = SimilarityLogits(z1, z2, Temperature);
        return nn.functional.cross_entropy(logits, positives);
    }

    /// <summary>
    /// The loss plus top-1 accuracy and mean rank of the positive, as logged by the UvA SimCLR tutorial.
    /// The two diagnostics are read back to the CPU, so call this once per logging step, not on every step.
    /// </summary>
    /// <param name="z1">Projections of the first views, <c>[N, D]</c>.</param>
    /// <param name="z2">Projections of the second views, <c>[N, D]</c>.</param>
    public NTXentResult Compute(Tensor z1, Tensor z2)
    {
        var (logits, positives) = SimilarityLogits(z1, z2, Temperature);
        var loss = nn.functional.cross_entropy(logits, positives);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var positiveLogit = logits.gather(1, positives.unsqueeze(1));
        var ranks = (logits > positiveLogit).sum(1) + 1;
        double top1 = (ranks == 1).to_type(ScalarType.Float64).mean().item<double>();
        double meanRank = ranks.to_type(ScalarType.Float64).mean().item<double>();
        return new NTXentResult(loss, top1, meanRank);
    }

    /// <summary>
    /// Builds the <c>[2N, 2N]</c> matrix of logits <c>cos(z_i, z_k) / τ</c> with the diagonal set to
    /// <see cref="SelfSimilarityLogit"/>, and the index of each row's positive (<c>i + N</c> for the first views,
    /// <c>i - N</c> for the second). Rows 0..N-1 are the first views. Notebooks plot it as a heatmap with the
    /// positives marked (replace the diagonal by NaN before plotting).
    /// </summary>
    /// <param name="z1">Projections of the first views, <c>[N, D]</c>.</param>
    /// <param name="z2">Projections of the second views, <c>[N, D]</c>.</param>
    /// <param name="temperature">τ &gt; 0.</param>
    /// <returns>Logits <c>[2N, 2N]</c> and positive indices int64 <c>[2N]</c>, on the inputs' device.</returns>
    public static (Tensor Logits, Tensor PositiveIndex) SimilarityLogits(Tensor z1, Tensor z2, double temperature)
    {
        var logits = CosineSimilarityMatrix(z1, z2, temperature);
        long twoN = logits.shape[0];
        var self = torch.eye(twoN, dtype: ScalarType.Bool, device: logits.device);
        return (logits.masked_fill(self, SelfSimilarityLogit), PositiveIndex(twoN / 2, logits.device));
    }

    /// <summary>
    /// Cosine similarities of the stacked, L2-normalised views divided by τ, <c>[2N, 2N]</c>, diagonal included.
    /// Shared with <see cref="NaiveNTXent"/>, which shows what goes wrong when the diagonal is kept.
    /// </summary>
    internal static Tensor CosineSimilarityMatrix(Tensor z1, Tensor z2, double temperature)
    {
        LossInputs.RequirePositive(temperature, nameof(temperature), "SimCLR uses values between 0.1 and 1, e.g. 0.5.");
        LossInputs.RequireFloating(z1, 2, nameof(z1), "[N, D]");
        LossInputs.RequireFloating(z2, 2, nameof(z2), "[N, D]");
        LossInputs.RequireSameShape(z1, nameof(z1), z2, nameof(z2));
        if (z1.shape[0] < 2)
            throw new ArgumentException(
                $"NT-Xent needs at least 2 images per batch (each anchor needs negatives), but z1 has {z1.shape[0]} rows. " +
                "Use a larger batch size.", nameof(z1));
        var z = nn.functional.normalize(torch.cat(new[] { z1, z2 }, 0), p: 2, dim: 1);
        return z.matmul(z.t()) / temperature;
    }

    /// <summary>The positive of anchor <c>i</c> is its other view: <c>[N, N+1, ..., 2N-1, 0, 1, ..., N-1]</c>.</summary>
    internal static Tensor PositiveIndex(long n, Device device)
    {
        var first = torch.arange(n, n * 2, dtype: ScalarType.Int64, device: device);
        var second = torch.arange(0, n, dtype: ScalarType.Int64, device: device);
        return torch.cat(new[] { first, second }, 0);
    }
}
