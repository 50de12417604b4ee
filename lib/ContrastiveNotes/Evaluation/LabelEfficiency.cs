using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Evaluation;

/// <summary>
/// How accuracy grows with the number of labels: the argument for self-supervised pretraining is that a probe on good
/// features needs far fewer labels than a network trained from scratch. Subsets are stratified (k examples of every
/// class) and drawn with a seeded generator, so every method sees the same labelled examples for a given k.
/// </summary>
public static class LabelEfficiency
{
    /// <summary>Marker for "use every labelled training example".</summary>
    public const int All = int.MaxValue;

    /// <summary>The usual sweep: 1, 5, 10, 50, 100 examples per class and all labels.</summary>
    public static IReadOnlyList<int> DefaultPerClass { get; } = new[] { 1, 5, 10, 50, 100, All };

    /// <summary>
    /// Chooses up to <paramref name="perClass"/> random indices of every class (all of a class that has fewer),
    /// entirely with tensor ops: a random permutation, a stable sort by class, and the rank within each class.
    /// With the same seed, the subset for a smaller k is contained in the subset for a larger k (nested subsets),
    /// so a label-efficiency curve adds labels rather than redrawing them.
    /// </summary>
    /// <param name="labels">Class labels, int64 <c>[count]</c>.</param>
    /// <param name="perClass">Examples to keep per class (&gt;= 1; <see cref="All"/> keeps everything).</param>
    /// <param name="generator">Seeded CPU generator that makes the choice reproducible.</param>
    /// <returns>Sorted indices, int64 <c>[selected]</c>, on the CPU.</returns>
    public static Tensor SelectPerClass(Tensor labels, int perClass, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(generator);
        ClassLabels.Require(labels, -1, nameof(labels));
        if (perClass < 1) throw new ArgumentOutOfRangeException(nameof(perClass), perClass, "Expected at least 1 example per class.");

        using var scope = torch.NewDisposeScope();
        var cpuLabels = labels.cpu().to_type(ScalarType.Int64);
        long count = cpuLabels.shape[0];
        var shuffled = torch.randperm(count, generator: generator);
        var (_, byClass) = cpuLabels.index_select(0, shuffled).sort(dim: 0, descending: false, stable: true);
        var order = shuffled.index_select(0, byClass);
        var sortedLabels = cpuLabels.index_select(0, order);
        var positions = torch.arange(count, dtype: ScalarType.Int64);
        var isFirstOfClass = torch.ones(count, dtype: ScalarType.Bool);
        if (count > 1) isFirstOfClass[TensorIndex.Slice(1)] = sortedLabels.slice(0, 1, count, 1).ne(sortedLabels.slice(0, 0, count - 1, 1));
        var classStart = torch.where(isFirstOfClass, positions, torch.zeros_like(positions)).cummax(0).values;
        var rank = positions.sub(classStart);
        var chosen = order.masked_select(rank.lt(perClass));
        return chosen.sort().Values.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Linear-probe accuracy on the test set for each number of labelled training examples per class.
    /// </summary>
    /// <param name="trainFeatures">Frozen features <c>[trainCount, dim]</c>.</param>
    /// <param name="trainLabels">Labels int64 <c>[trainCount]</c>.</param>
    /// <param name="testFeatures">Frozen features <c>[testCount, dim]</c>.</param>
    /// <param name="testLabels">Labels int64 <c>[testCount]</c>.</param>
    /// <param name="perClassCounts">Examples per class to try, e.g. <see cref="DefaultPerClass"/>.</param>
    /// <param name="seed">Seed of the subset choice (the same seed gives the same subsets).</param>
    /// <param name="options">Probe settings; defaults when null.</param>
    /// <param name="l2Candidates">
    /// When given, each subset's probe penalty is chosen among these by <see cref="LinearProbeValidation.ChooseL2"/>
    /// (stratified cross-validation on that subset only, seeded with <paramref name="seed"/>); a subset with a single
    /// example of some class cannot be cross-validated and keeps <paramref name="options"/>' L2. When null, every
    /// probe uses that fixed L2.
    /// </param>
    public static IReadOnlyList<LabelEfficiencyPoint> LinearProbeCurve(
        Tensor trainFeatures, Tensor trainLabels, Tensor testFeatures, Tensor testLabels,
        IEnumerable<int> perClassCounts, long seed, LinearProbeOptions? options = null, IReadOnlyList<double>? l2Candidates = null)
    {
        ShapeChecks.Features(trainFeatures, nameof(trainFeatures));
        ShapeChecks.Labels(trainLabels, trainFeatures, nameof(trainLabels));
        int classes;
        using (var maxTrain = trainLabels.max()) using (var maxTest = testLabels.max())
            classes = (int)Math.Max(maxTrain.item<long>(), maxTest.item<long>()) + 1;

        var points = new List<LabelEfficiencyPoint>();
        foreach (int k in perClassCounts)
        {
            using var scope = torch.NewDisposeScope();
            using var generator = new Generator(unchecked((ulong)seed));
            var indices = SelectPerClass(trainLabels, k, generator).to(trainFeatures.device);
            var features = trainFeatures.index_select(0, indices);
            var labels = trainLabels.index_select(0, indices.to(trainLabels.device));
            var probeOptions = ProbeOptionsFor(features, labels, classes, seed, options ?? new LinearProbeOptions(), l2Candidates);
            using var probe = LinearProbe.Fit(features, labels, classes, probeOptions);
            points.Add(new LabelEfficiencyPoint(k, probe.Accuracy(testFeatures, testLabels), indices.shape[0], probeOptions.L2));
        }
        return points;
    }

    private static LinearProbeOptions ProbeOptionsFor(Tensor features, Tensor labels, int classes, long seed, LinearProbeOptions options, IReadOnlyList<double>? l2Candidates)
    {
        if (l2Candidates is null || LinearProbeValidation.SmallestClassCount(labels) < 2) return options;
        return options with { L2 = LinearProbeValidation.ChooseL2(features, labels, classes, l2Candidates, seed: seed, options: options).L2 };
    }

    /// <summary>
    /// Builds a curve from any accuracy function, e.g. a supervised encoder trained from scratch on the same
    /// <see cref="SelectPerClass"/> subsets, so it can be charted next to <see cref="LinearProbeCurve"/>.
    /// </summary>
    /// <param name="perClassCounts">Examples per class to evaluate.</param>
    /// <param name="accuracyForPerClass">Returns the test accuracy reached with k labelled examples per class.</param>
    /// <param name="classCount">Number of classes, used to report the labelled count (k × classes).</param>
    /// <param name="allLabelledCount">Size of the full labelled set, reported for <see cref="All"/>; required when the list contains it.</param>
    public static IReadOnlyList<LabelEfficiencyPoint> Curve(
        IEnumerable<int> perClassCounts, Func<int, double> accuracyForPerClass, int classCount, long? allLabelledCount = null)
    {
        ArgumentNullException.ThrowIfNull(accuracyForPerClass);
        if (classCount < 1) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "Expected at least one class.");
        return perClassCounts.Select(k => new LabelEfficiencyPoint(k, accuracyForPerClass(k), LabelledCount(k, classCount, allLabelledCount))).ToList();
    }

    private static long LabelledCount(int perClass, int classCount, long? allLabelledCount) =>
        perClass != All ? (long)perClass * classCount
        : allLabelledCount ?? throw new ArgumentException(
            "The list contains LabelEfficiency.All; pass allLabelledCount (the size of the full labelled set) so the point can be placed on the chart.");
}
