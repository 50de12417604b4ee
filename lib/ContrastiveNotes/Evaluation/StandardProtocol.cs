using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Evaluation;

/// <summary>
/// The evaluation protocol behind every result the course claims for an encoder: frozen features of ALL training
/// images as the kNN bank and probe training set, ALL test images as the queries, and
/// <list type="bullet">
/// <item>the weighted cosine kNN of Wu et al. 2018 (arXiv:1805.01978), k = 200, τ = 0.1;</item>
/// <item>a linear probe on all labels, its L2 chosen by stratified 5-fold cross-validation on the training images
/// only (<see cref="LinearProbeValidation.ChooseL2"/>), never on the test set;</item>
/// <item>linear probes on <see cref="LabelledSubsets"/> random class-balanced subsets with 100 and with 10 labels per
/// class (<see cref="LabelEfficiency.SelectPerClass"/>, subset s drawn with seed s), each probe's L2 chosen by
/// cross-validation on its own subset, reported as mean ± standard deviation.</item>
/// </list>
/// Raw pixels and an untrained encoder go through the same protocol in the same run as the baselines.
/// </summary>
public static class StandardProtocol
{
    /// <summary>Number of labelled subsets per scarce-label setting (seeds 0 .. 4).</summary>
    public const int LabelledSubsets = 5;

    /// <summary>The scarce-label settings: labels per class.</summary>
    public static IReadOnlyList<int> ScarceLabelsPerClass { get; } = new[] { 100, 10 };

    /// <summary>Runs the protocol on frozen features.</summary>
    /// <param name="name">What the features come from (e.g. "SimCLR", "raw pixels").</param>
    /// <param name="trainFeatures">Features of every training image <c>[trainCount, dim]</c>.</param>
    /// <param name="trainLabels">int64 <c>[trainCount]</c>.</param>
    /// <param name="testFeatures">Features of every test image <c>[testCount, dim]</c>.</param>
    /// <param name="testLabels">int64 <c>[testCount]</c>.</param>
    /// <param name="log">Receives a line per finished measurement (the full probe takes minutes on a CPU).</param>
    public static StandardProtocolResult Evaluate(string name, Tensor trainFeatures, Tensor trainLabels, Tensor testFeatures,
        Tensor testLabels, Action<string>? log = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ShapeChecks.Features(trainFeatures, nameof(trainFeatures));
        ShapeChecks.Labels(trainLabels, trainFeatures, nameof(trainLabels));
        ShapeChecks.Features(testFeatures, nameof(testFeatures));
        ShapeChecks.Labels(testLabels, testFeatures, nameof(testLabels));
        ShapeChecks.SameDim(trainFeatures, testFeatures);
        using var scope = torch.NewDisposeScope();
        int classes = (int)Math.Max(trainLabels.max().item<long>(), testLabels.max().item<long>()) + 1;

        double knn = KnnClassifier.Evaluate(trainFeatures, trainLabels, testFeatures, testLabels).Accuracy;
        log?.Invoke($"{name}: kNN {knn:P2}");
        var choice = LinearProbeValidation.ChooseL2(trainFeatures, trainLabels, classes, seed: 0);
        using var probe = LinearProbe.Fit(trainFeatures, trainLabels, classes, new LinearProbeOptions(L2: choice.L2));
        double probeAll = probe.Accuracy(testFeatures, testLabels);
        log?.Invoke($"{name}: linear probe, all labels {probeAll:P2} (L2 {choice.L2:G2} by {choice.Folds}-fold cross-validation)");
        var scarce = ScarceLabelsPerClass.Select(perClass =>
        {
            var result = ScarceLabels(trainFeatures, trainLabels, testFeatures, testLabels, perClass);
            log?.Invoke($"{name}: linear probe, {perClass} labels per class {result}");
            return result;
        }).ToList();
        return new StandardProtocolResult(name, trainFeatures.shape[0], testFeatures.shape[0], knn, probeAll, choice.L2, scarce);
    }

    private static SubsetAccuracies ScarceLabels(Tensor trainFeatures, Tensor trainLabels, Tensor testFeatures, Tensor testLabels,
        int perClass)
    {
        var accuracies = new List<double>();
        for (int subset = 0; subset < LabelledSubsets; subset++)
        {
            var point = LabelEfficiency.LinearProbeCurve(trainFeatures, trainLabels, testFeatures, testLabels, new[] { perClass },
                seed: subset, l2Candidates: LinearProbeValidation.DefaultCandidates).Single();
            accuracies.Add(point.Accuracy);
        }
        return new SubsetAccuracies(perClass, accuracies);
    }
}

/// <summary>What <see cref="StandardProtocol.Evaluate"/> measured for one encoder (accuracies in [0, 1]).</summary>
/// <param name="Name">What the features come from.</param>
/// <param name="TrainCount">Training images in the kNN bank and the full probe.</param>
/// <param name="TestCount">Test images evaluated.</param>
/// <param name="Knn">Weighted kNN accuracy, k = 200, τ = 0.1.</param>
/// <param name="ProbeAllLabels">Linear probe accuracy trained on every training label.</param>
/// <param name="ProbeAllLabelsL2">The L2 that cross-validation chose for it.</param>
/// <param name="ScarceLabels">Probe accuracies with 100 and 10 labels per class, one per subset.</param>
public sealed record StandardProtocolResult(string Name, long TrainCount, long TestCount, double Knn, double ProbeAllLabels,
    double ProbeAllLabelsL2, IReadOnlyList<SubsetAccuracies> ScarceLabels)
{
    /// <summary>The scarce-label result with <paramref name="perClass"/> labels per class.</summary>
    public SubsetAccuracies PerClass(int perClass) => ScarceLabels.Single(s => s.PerClass == perClass);
}

/// <summary>Test accuracies of probes trained on several random labelled subsets of one size.</summary>
/// <param name="PerClass">Labels per class of every subset.</param>
/// <param name="Accuracies">One accuracy per subset (subset s drawn with seed s).</param>
public sealed record SubsetAccuracies(int PerClass, IReadOnlyList<double> Accuracies)
{
    /// <summary>Mean accuracy over the subsets.</summary>
    public double Mean => Accuracies.Average();

    /// <summary>Sample standard deviation over the subsets (0 for a single subset).</summary>
    public double StandardDeviation => Accuracies.Count < 2 ? 0
        : Math.Sqrt(Accuracies.Sum(a => (a - Mean) * (a - Mean)) / (Accuracies.Count - 1));

    /// <inheritdoc />
    public override string ToString() => System.FormattableString.Invariant(
        $"{100 * Mean:F2} % ± {100 * StandardDeviation:F2} over {Accuracies.Count} subsets");
}
