using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Evaluation;

/// <summary>
/// Weighted k-nearest-neighbour classifier on cosine similarity, the standard "how good are frozen features" probe of
/// self-supervised learning (Wu, Xiong, Yu and Lin 2018, "Unsupervised Feature Learning via Non-Parametric Instance
/// Discrimination", arXiv:1805.01978): each of the k most similar training samples votes for its class with weight
/// exp(s / τ). The test set is processed in chunks so the full test × train similarity matrix never exists at once.
/// </summary>
public static class KnnClassifier
{
    /// <summary>Default number of neighbours (Wu et al. 2018).</summary>
    public const int DefaultK = 200;

    /// <summary>Default vote temperature τ (Wu et al. 2018).</summary>
    public const double DefaultTemperature = 0.1;

    /// <summary>Predicts test labels and compares them with <paramref name="testLabels"/>.</summary>
    /// <param name="trainFeatures">Memory bank features <c>[trainCount, dim]</c> (need not be normalised).</param>
    /// <param name="trainLabels">Memory bank labels, int64 <c>[trainCount]</c>, same device as the features.</param>
    /// <param name="testFeatures">Query features <c>[testCount, dim]</c>.</param>
    /// <param name="testLabels">Query labels, int64 <c>[testCount]</c>.</param>
    /// <param name="k">Neighbours per query (clipped to the memory bank size).</param>
    /// <param name="temperature">Vote temperature τ &gt; 0; smaller makes the nearest neighbours dominate.</param>
    /// <param name="chunkSize">Queries per similarity block (memory is chunkSize × trainCount floats).</param>
    /// <param name="numClasses">Number of classes; defaults to max label + 1.</param>
    public static KnnResult Evaluate(
        Tensor trainFeatures, Tensor trainLabels, Tensor testFeatures, Tensor testLabels,
        int k = DefaultK, double temperature = DefaultTemperature, int chunkSize = 256, int? numClasses = null)
    {
        ShapeChecks.Labels(testLabels, testFeatures, nameof(testLabels));
        var predictions = Predict(trainFeatures, trainLabels, testFeatures, k, temperature, chunkSize, numClasses);
        using var correct = predictions.eq(testLabels.to(predictions.device)).to_type(ScalarType.Float64).mean();
        return new KnnResult(correct.item<double>(), predictions);
    }

    /// <summary>Predicts the class of each row of <paramref name="testFeatures"/> by a temperature-weighted cosine kNN vote.</summary>
    /// <returns>Predicted classes, int64 <c>[testCount]</c>, on the device of <paramref name="trainFeatures"/>.</returns>
    /// <inheritdoc cref="Evaluate" path="/param"/>
    public static Tensor Predict(
        Tensor trainFeatures, Tensor trainLabels, Tensor testFeatures,
        int k = DefaultK, double temperature = DefaultTemperature, int chunkSize = 256, int? numClasses = null)
    {
        ShapeChecks.Features(trainFeatures, nameof(trainFeatures));
        ShapeChecks.Features(testFeatures, nameof(testFeatures));
        ShapeChecks.Labels(trainLabels, trainFeatures, nameof(trainLabels));
        ShapeChecks.SameDim(trainFeatures, testFeatures);
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "Expected k >= 1 neighbours.");
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "Expected a temperature > 0 (0.1 is the usual choice).");
        if (chunkSize < 1) throw new ArgumentOutOfRangeException(nameof(chunkSize), chunkSize, "Expected a chunk size of at least 1.");

        using var outer = torch.NewDisposeScope();
        var device = trainFeatures.device;
        var bank = nn.functional.normalize(trainFeatures.to_type(ScalarType.Float32), dim: 1).t();
        var bankLabels = trainLabels.to(device).to_type(ScalarType.Int64);
        int classes = numClasses ?? (int)bankLabels.max().item<long>() + 1;
        int neighbours = (int)Math.Min(k, trainFeatures.shape[0]);

        var parts = new List<Tensor>();
        for (long start = 0; start < testFeatures.shape[0]; start += chunkSize)
        {
            using var scope = torch.NewDisposeScope();
            var queries = testFeatures.slice(0, start, Math.Min(testFeatures.shape[0], start + chunkSize), 1).to(device);
            parts.Add(VoteChunk(queries, bank, bankLabels, neighbours, temperature, classes).MoveToOuterDisposeScope());
        }
        return torch.cat(parts, 0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// One chunk: similarities <c>[chunk, trainCount]</c>, top-k, votes exp((s - s_max) / τ) summed per class.
    /// Subtracting the row maximum s_max scales all votes of a query by the same factor, so the argmax is that of
    /// exp(s / τ) while small temperatures cannot overflow or underflow to all zeros.
    /// </summary>
    private static Tensor VoteChunk(Tensor queries, Tensor bankT, Tensor bankLabels, int k, double temperature, int classes)
    {
        var similarities = nn.functional.normalize(queries.to_type(ScalarType.Float32), dim: 1).mm(bankT);
        var (topSimilarities, topIndices) = similarities.topk(k, dim: 1);
        var neighbourLabels = bankLabels.index_select(0, topIndices.flatten()).view(topIndices.shape);
        var weights = topSimilarities.sub(topSimilarities.narrow(1, 0, 1)).div(temperature).exp();
        var votes = torch.zeros(queries.shape[0], classes, dtype: ScalarType.Float32, device: queries.device)
            .scatter_add_(1, neighbourLabels, weights);
        return votes.argmax(1);
    }
}
