using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Evaluation;

/// <summary>
/// Exact t-SNE (van der Maaten and Hinton 2008, "Visualizing Data using t-SNE", JMLR 9) on tensors, for plots of up to
/// about 2000 embeddings. Every iteration costs O(count² · components) time and the pairwise matrices O(count²) memory
/// (2000 points: 4M entries per matrix), so larger sets should be subsampled (or reduced with <see cref="Pca"/> first).
/// The Gaussian bandwidths are found (in float64) by a bisection run on all rows at once; the layout is optimised in
/// float32. The result is reproducible for a seed on a given device.
/// </summary>
public static class Tsne
{
    private const int BandwidthSearchSteps = 64;

    /// <summary>Embeds <paramref name="features"/> <c>[count, dim]</c> into <c>[count, components]</c> (float32, same device).</summary>
    /// <param name="features">Data <c>[count, dim]</c>.</param>
    /// <param name="seed">Seed of the random initial layout.</param>
    /// <param name="options">Optimisation settings; <see cref="TsneOptions"/> defaults when null.</param>
    public static Tensor Embed(Tensor features, long seed, TsneOptions? options = null)
    {
        ShapeChecks.Features(features, nameof(features));
        options ??= new TsneOptions();
        long n = features.shape[0];
        if (!(options.Perplexity >= 1) || options.Perplexity >= n)
            throw new ArgumentOutOfRangeException(nameof(options), options.Perplexity, $"Expected a perplexity in [1, {n}) for {n} points; lower it or pass more points.");
        if (options.Iterations < 1 || options.Components < 1 || options.LearningRate is <= 0 or double.NaN)
            throw new ArgumentOutOfRangeException(nameof(options), options, "Expected iterations >= 1, components >= 1 and a learning rate > 0.");

        double learningRate = options.LearningRate ?? Math.Max(n / options.EarlyExaggeration / 4, 50);
        using var outer = torch.NewDisposeScope();
        var x = features.to_type(ScalarType.Float64);
        var p = JointProbabilities(x, options.Perplexity).to_type(ScalarType.Float32);
        var exaggerated = p.mul(options.EarlyExaggeration);
        var offDiagonal = torch.eye(n, dtype: ScalarType.Float32, device: x.device).neg_().add_(1);
        var y = InitialLayout(n, options.Components, seed, x.device);
        var update = torch.zeros_like(y);
        var gains = torch.ones_like(y);
        for (int iteration = 0; iteration < options.Iterations; iteration++)
        {
            using var scope = torch.NewDisposeScope();
            bool early = iteration < options.ExaggerationIterations;
            var gradient = Gradient(early ? exaggerated : p, y, offDiagonal);
            var sameSign = gradient.sign().eq(update.sign());
            gains.copy_(torch.where(sameSign, gains.mul(0.8), gains.add(0.2)).clamp_min(0.01));
            update.mul_(early ? 0.5 : 0.8).sub_(gains.mul(gradient).mul(learningRate));
            y.add_(update);
            y.sub_(y.mean(new long[] { 0 }, keepdim: true));
        }
        return y.to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Symmetric joint probabilities p_ij = (p_j|i + p_i|j) / 2n, with each conditional Gaussian's precision found by
    /// bisection so that its entropy equals log(perplexity).
    /// </summary>
    internal static Tensor JointProbabilities(Tensor x, double perplexity)
    {
        using var scope = torch.NewDisposeScope();
        long n = x.shape[0];
        var squared = x.pow(2).sum(1, keepdim: true);
        var distances = squared.add(squared.t()).sub(x.mm(x.t()).mul(2)).clamp_min(0);
        var offDiagonal = torch.eye(n, dtype: ScalarType.Bool, device: x.device).logical_not();
        var rowMin = torch.where(offDiagonal, distances, double.PositiveInfinity).amin(new long[] { 1 }, keepdim: true);
        var shifted = distances.sub(rowMin).mul(offDiagonal);
        double targetEntropy = Math.Log(perplexity);

        var beta = torch.ones(n, 1, dtype: ScalarType.Float64, device: x.device);
        var low = torch.zeros_like(beta);
        var high = torch.full_like(beta, double.PositiveInfinity);
        for (int step = 0; step < BandwidthSearchSteps; step++)
        {
            using var stepScope = torch.NewDisposeScope();
            var entropy = Entropy(shifted, offDiagonal, beta);
            var tooFlat = entropy.gt(targetEntropy);
            low.copy_(torch.where(tooFlat, beta, low));
            high.copy_(torch.where(tooFlat, high, beta));
            beta.copy_(torch.where(high.isinf(), beta.mul(2), low.add(high).div(2)));
        }
        var conditional = shifted.mul(beta).neg().exp().mul(offDiagonal);
        conditional = conditional.div(conditional.sum(1, keepdim: true));
        return conditional.add(conditional.t()).div(2 * n).clamp_min(1e-12).MoveToOuterDisposeScope();
    }

    private static Tensor Entropy(Tensor shifted, Tensor offDiagonal, Tensor beta)
    {
        var weights = shifted.mul(beta).neg().exp().mul(offDiagonal);
        var total = weights.sum(1, keepdim: true);
        return total.log().add(beta.mul(shifted.mul(weights).sum(1, keepdim: true)).div(total));
    }

    private static Tensor InitialLayout(long n, int components, long seed, Device device)
    {
        using var generator = new Generator(unchecked((ulong)seed));
        return torch.randn(new long[] { n, components }, dtype: ScalarType.Float32, generator: generator).mul(1e-4).to(device);
    }

    /// <summary>dC/dy_i = 4 Σ_j (p_ij − q_ij)(1 + ‖y_i − y_j‖²)⁻¹ (y_i − y_j), Student-t kernel with one degree of freedom.</summary>
    private static Tensor Gradient(Tensor p, Tensor y, Tensor offDiagonal)
    {
        var squared = y.pow(2).sum(1, keepdim: true);
        var distances = squared.add(squared.t()).sub(y.mm(y.t()).mul(2)).clamp_min(0);
        var kernel = distances.add_(1).reciprocal_().mul_(offDiagonal);
        var q = kernel.div(kernel.sum()).clamp_min_(1e-12);
        var weighted = q.neg_().add_(p).mul_(kernel);
        return weighted.sum(1, keepdim: true).mul(y).sub(weighted.mm(y)).mul(4);
    }
}
