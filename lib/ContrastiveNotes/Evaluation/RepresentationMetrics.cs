using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Evaluation;

/// <summary>
/// Label-free diagnostics of an embedding: alignment and uniformity (Wang and Isola 2020, "Understanding Contrastive
/// Representation Learning through Alignment and Uniformity on the Hypersphere", arXiv:2005.10242), the per-dimension
/// standard deviation of normalised embeddings as a collapse indicator (Chen and He 2020, SimSiam, arXiv:2011.10566),
/// and the effective rank (Roy and Vetterli 2007, "The effective rank: a measure of effective dimensionality").
/// All take float tensors on any device and return doubles.
/// </summary>
public static class RepresentationMetrics
{
    /// <summary>
    /// Alignment E‖f(x) − f(y)‖^α over positive pairs of L2-normalised features: 0 when both views map to the same point,
    /// at most 2^α. Lower is better.
    /// </summary>
    /// <param name="features">Features of the first views <c>[pairs, dim]</c>.</param>
    /// <param name="positives">Features of the matching second views <c>[pairs, dim]</c>.</param>
    /// <param name="alpha">Exponent α (2 in the paper).</param>
    public static double Alignment(Tensor features, Tensor positives, double alpha = 2)
    {
        ShapeChecks.Features(features, nameof(features));
        ShapeChecks.Features(positives, nameof(positives));
        if (!features.shape.SequenceEqual(positives.shape))
            throw new ArgumentException($"Expected two views of the same shape, found {Shapes.Format(features)} and {Shapes.Format(positives)}.", nameof(positives));
        using var scope = torch.NewDisposeScope();
        var x = nn.functional.normalize(features.to_type(ScalarType.Float64), dim: 1);
        var y = nn.functional.normalize(positives.to_type(ScalarType.Float64).to(features.device), dim: 1);
        return x.sub(y).norm(1).pow(alpha).mean().item<double>();
    }

    /// <summary>
    /// Uniformity log E exp(−t‖f(x) − f(y)‖²) over all distinct pairs of L2-normalised features: how evenly the
    /// embeddings cover the hypersphere. Lower (more negative) is more uniform; 0 means everything collapsed to one point.
    /// Costs O(count² · dim); pass a few thousand rows at most.
    /// </summary>
    /// <param name="features">Features <c>[count, dim]</c>, count &gt;= 2.</param>
    /// <param name="t">Temperature t of the Gaussian potential (2 in the paper).</param>
    public static double Uniformity(Tensor features, double t = 2)
    {
        ShapeChecks.Features(features, nameof(features));
        long n = features.shape[0];
        if (n < 2) throw new ArgumentException($"Expected at least 2 feature rows for pairwise uniformity, found {n}.", nameof(features));
        using var scope = torch.NewDisposeScope();
        var x = nn.functional.normalize(features.to_type(ScalarType.Float64), dim: 1);
        var squaredDistances = x.mm(x.t()).mul(-2).add(2).clamp_min(0);
        var upper = torch.ones(n, n, dtype: ScalarType.Bool, device: x.device).triu(1);
        var pairs = squaredDistances.masked_select(upper).mul(-t);
        return pairs.logsumexp(0).item<double>() - Math.Log(pairs.shape[0]);
    }

    /// <summary>
    /// Mean over dimensions of the standard deviation (unbiased, across samples) of L2-normalised features. Near
    /// <see cref="CollapseReference"/> (1/√dim) for well-spread features, near 0 when the representation collapses.
    /// </summary>
    /// <param name="features">Features <c>[count, dim]</c>, count &gt;= 2.</param>
    public static double NormalizedStd(Tensor features)
    {
        ShapeChecks.Features(features, nameof(features));
        if (features.shape[0] < 2) throw new ArgumentException($"Expected at least 2 rows to measure a spread, found {features.shape[0]}.", nameof(features));
        using var scope = torch.NewDisposeScope();
        return nn.functional.normalize(features.to_type(ScalarType.Float64), dim: 1).std(0).mean().item<double>();
    }

    /// <summary>The value 1/√dim that <see cref="NormalizedStd"/> approaches for isotropic Gaussian features (SimSiam, §4).</summary>
    public static double CollapseReference(long dim) =>
        dim >= 1 ? 1.0 / Math.Sqrt(dim) : throw new ArgumentOutOfRangeException(nameof(dim), dim, "Expected a dimension >= 1.");

    /// <summary>
    /// Effective rank exp(H(p)) with p_i = σ_i / Σσ_j the normalised singular values of <paramref name="matrix"/>:
    /// between 1 (rank one) and min(rows, cols) (all singular values equal). Pass centred features to ignore the mean.
    /// </summary>
    /// <param name="matrix">Any matrix <c>[rows, cols]</c>, e.g. features <c>[count, dim]</c>.</param>
    public static double EffectiveRank(Tensor matrix)
    {
        ShapeChecks.Features(matrix, nameof(matrix));
        using var scope = torch.NewDisposeScope();
        var singular = torch.linalg.svdvals(matrix.to_type(ScalarType.Float64));
        var total = singular.sum();
        if (total.item<double>() <= 0) throw new ArgumentException("Expected a non-zero matrix; all singular values are 0.", nameof(matrix));
        var p = singular.div(total);
        var entropy = torch.where(p.gt(0), p.mul(p.log()).neg(), torch.zeros_like(p)).sum();
        return Math.Exp(entropy.item<double>());
    }
}
