using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Evaluation;

/// <summary>
/// Uses of frozen features besides classification: cosine nearest-neighbour search (retrieval, near-duplicate search),
/// precision@k of that search against labels, and novelty scores with their AUROC (a sample far from every bank
/// feature is unlike the data the bank holds; Tack et al. 2020, "CSI: Novelty Detection via Contrastive Learning on
/// Distributionally Shifted Instances", arXiv:2007.08176, score novelty by the cosine similarity to the nearest
/// training sample). Queries are processed in chunks, so the query × bank similarity matrix never exists at once.
/// </summary>
public static class NearestNeighbours
{
    /// <summary>The <paramref name="k"/> bank rows most similar (cosine) to each query, most similar first.</summary>
    /// <param name="bank">Bank features <c>[bankCount, dim]</c> (need not be normalised).</param>
    /// <param name="queries">Query features <c>[queryCount, dim]</c>.</param>
    /// <param name="k">Neighbours per query, 1 to bankCount.</param>
    /// <param name="chunkSize">Queries per similarity block (memory: chunkSize × bankCount floats).</param>
    /// <returns>Bank indices, int64 <c>[queryCount, k]</c>, and their cosine similarities, float32 <c>[queryCount, k]</c>, on the bank's device.</returns>
    public static (Tensor Indices, Tensor Similarities) Search(Tensor bank, Tensor queries, int k, int chunkSize = 256)
    {
        ShapeChecks.Features(bank, nameof(bank));
        ShapeChecks.Features(queries, nameof(queries));
        ShapeChecks.SameDim(bank, queries);
        if (k < 1 || k > bank.shape[0])
            throw new ArgumentOutOfRangeException(nameof(k), k, $"Expected 1 <= k <= {bank.shape[0]} (the bank's size).");
        if (chunkSize < 1) throw new ArgumentOutOfRangeException(nameof(chunkSize), chunkSize, "Expected a chunk size of at least 1.");

        using var outer = torch.NewDisposeScope();
        var bankT = nn.functional.normalize(bank.to_type(ScalarType.Float32), dim: 1).t();
        var indices = new List<Tensor>();
        var similarities = new List<Tensor>();
        for (long start = 0; start < queries.shape[0]; start += chunkSize)
        {
            using var scope = torch.NewDisposeScope();
            var chunk = queries.slice(0, start, Math.Min(queries.shape[0], start + chunkSize), 1).to(bank.device).to_type(ScalarType.Float32);
            var (top, at) = nn.functional.normalize(chunk, dim: 1).mm(bankT).topk(k, dim: 1);
            similarities.Add(top.MoveToOuterDisposeScope());
            indices.Add(at.MoveToOuterDisposeScope());
        }
        return (torch.cat(indices, 0).MoveToOuterDisposeScope(), torch.cat(similarities, 0).MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Precision@k of retrieval: the fraction of each query's <paramref name="k"/> nearest bank rows that share the
    /// query's label, averaged over the queries. (Pass the same set as bank and queries only with k + 1 and your own
    /// handling of self-matches; this method does not drop them.)
    /// </summary>
    /// <param name="bank">Bank features <c>[bankCount, dim]</c>.</param>
    /// <param name="bankLabels">Bank labels, int64 <c>[bankCount]</c>.</param>
    /// <param name="queries">Query features <c>[queryCount, dim]</c>.</param>
    /// <param name="queryLabels">Query labels, int64 <c>[queryCount]</c>.</param>
    /// <param name="k">Neighbours per query.</param>
    public static double PrecisionAtK(Tensor bank, Tensor bankLabels, Tensor queries, Tensor queryLabels, int k)
    {
        ShapeChecks.Labels(bankLabels, bank, nameof(bankLabels));
        ShapeChecks.Labels(queryLabels, queries, nameof(queryLabels));
        using var scope = torch.NewDisposeScope();
        var (indices, _) = Search(bank, queries, k);
        var neighbourLabels = bankLabels.to(indices.device).index_select(0, indices.flatten()).view(indices.shape);
        return neighbourLabels.eq(queryLabels.to(indices.device).unsqueeze(1)).to_type(ScalarType.Float64).mean().item<double>();
    }

    /// <summary>
    /// Novelty of each query: 1 − the mean cosine similarity of its <paramref name="k"/> nearest bank rows, in [0, 2];
    /// high for queries unlike everything in the bank.
    /// </summary>
    /// <returns>Scores, float64 <c>[queryCount]</c>, on the CPU.</returns>
    public static Tensor NoveltyScores(Tensor bank, Tensor queries, int k = 1)
    {
        using var scope = torch.NewDisposeScope();
        var (_, similarities) = Search(bank, queries, k);
        return similarities.to_type(ScalarType.Float64).mean(new long[] { 1 }).neg().add(1).cpu().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Area under the ROC curve of <paramref name="scores"/> for telling <paramref name="isPositive"/> samples from
    /// the others: the probability that a random positive scores higher than a random negative, ties counting one
    /// half (the Mann–Whitney U statistic divided by the number of pairs). 0.5 is chance, 1 perfect.
    /// </summary>
    /// <param name="scores">Scores <c>[count]</c>, higher meaning "more likely positive".</param>
    /// <param name="isPositive">Bool <c>[count]</c>, with at least one positive and one negative.</param>
    public static double Auroc(Tensor scores, Tensor isPositive)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(isPositive);
        if (scores.dim() != 1 || isPositive.dim() != 1 || scores.shape[0] != isPositive.shape[0] || isPositive.dtype != ScalarType.Bool)
            throw new ArgumentException($"Expected scores [count] and bool labels [count], found {Shapes.Format(scores)} and {isPositive.dtype} {Shapes.Format(isPositive)}.");
        var values = scores.to_type(ScalarType.Float64).cpu().data<double>().ToArray();
        var positive = isPositive.cpu().data<bool>().ToArray();
        long positives = positive.LongCount(p => p), negatives = positive.Length - positives;
        if (positives == 0 || negatives == 0)
            throw new ArgumentException($"Expected at least one positive and one negative sample, found {positives} and {negatives}.", nameof(isPositive));
        // Mid-ranks (1-based, ties averaged) of all scores; U = sum of the positives' ranks - P (P + 1) / 2.
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]]) end++;
            double midRank = (start + end) / 2.0 + 1;
            for (int i = start; i <= end; i++) ranks[order[i]] = midRank;
            start = end + 1;
        }
        double positiveRanks = Enumerable.Range(0, values.Length).Where(i => positive[i]).Sum(i => ranks[i]);
        return (positiveRanks - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }
}
