using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Evaluation;

/// <summary>
/// Chooses the linear probe's L2 penalty by stratified k-fold cross-validation on the labelled training features
/// alone, so that the test set chooses nothing. With 10 to 100 labelled images the penalty matters by several
/// points, and the right value depends on the encoder and the label count: fixing it in advance favours some
/// methods, tuning it on test accuracy inflates all of them. Choosing the regularisation of a logistic-regression
/// probe on held-out training data is the protocol of Kornblith, Shlens &amp; Le (2019, arXiv:1805.08974), which
/// SimCLR follows for its linear transfer experiments (Chen et al. 2020, arXiv:2002.05709).
/// </summary>
public static class LinearProbeValidation
{
    /// <summary>Folds used when none are given (fewer when a class has fewer labelled examples).</summary>
    public const int DefaultFolds = 5;

    /// <summary>Candidates used when none are given: 1e-4 (the probe's default) to 0.3, about half a decade apart.</summary>
    public static IReadOnlyList<double> DefaultCandidates { get; } = new[] { 1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1 };

    /// <summary>
    /// Assigns every example to one of <paramref name="folds"/> folds so that each class is spread as evenly as
    /// possible (its fold sizes differ by at most one): each class's examples are shuffled with a seeded generator
    /// and dealt to the folds in turn.
    /// </summary>
    /// <param name="labels">Class labels, integer <c>[count]</c>.</param>
    /// <param name="folds">Number of folds, at least 2.</param>
    /// <param name="seed">Seed of the shuffle.</param>
    /// <returns>The fold of every example, in [0, folds).</returns>
    public static int[] StratifiedFolds(Tensor labels, int folds, long seed)
    {
        long[] classOf = LabelsToArray(labels);
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds), folds, "Cross-validation needs at least 2 folds.");
        var random = new Random(unchecked((int)seed));
        var fold = new int[classOf.Length];
        foreach (var members in Enumerable.Range(0, classOf.Length).GroupBy(i => classOf[i]))
        {
            int[] shuffled = members.ToArray();
            random.Shuffle(shuffled);
            for (int position = 0; position < shuffled.Length; position++) fold[shuffled[position]] = position % folds;
        }
        return fold;
    }

    /// <summary>
    /// Fits a probe per candidate L2 and fold on the other folds, scores it on the held-out fold, and returns the
    /// candidate with the best pooled held-out accuracy (the largest penalty among equals: the simpler model).
    /// </summary>
    /// <param name="features">Labelled training features <c>[N, D]</c>.</param>
    /// <param name="labels">Their labels, integer <c>[N]</c>; every class needs at least 2 examples.</param>
    /// <param name="numClasses">Number of classes of the task.</param>
    /// <param name="candidates">L2 values to try (default <see cref="DefaultCandidates"/>), each &gt;= 0.</param>
    /// <param name="folds">Folds (default 5); reduced to the smallest class's count when that is lower.</param>
    /// <param name="seed">Seed of the fold assignment.</param>
    /// <param name="options">Steps and learning rate of every probe fitted (its <c>L2</c> is replaced).</param>
    public static L2Choice ChooseL2(Tensor features, Tensor labels, int numClasses, IReadOnlyList<double>? candidates = null,
        int folds = DefaultFolds, long seed = 0, LinearProbeOptions? options = null)
    {
        ShapeChecks.Features(features, nameof(features));
        ShapeChecks.Labels(labels, features, nameof(labels));
        candidates ??= DefaultCandidates;
        if (candidates.Count == 0 || candidates.Any(c => !(c >= 0)))
            throw new ArgumentException($"Expected at least one L2 candidate, all >= 0; found [{string.Join(", ", candidates)}].", nameof(candidates));
        int smallestClass = SmallestClassCount(labels);
        int usedFolds = Math.Min(folds, smallestClass);
        if (usedFolds < 2)
            throw new ArgumentException(
                $"Cross-validation needs at least 2 labelled examples of every class, but one class has {smallestClass}. " +
                "With one example per class, fix the penalty in advance instead (LinearProbeOptions.L2).", nameof(labels));
        options ??= new LinearProbeOptions();
        using var scope = torch.NewDisposeScope();
        var splits = Splits(features, labels, StratifiedFolds(labels, usedFolds, seed), usedFolds);
        var accuracies = candidates.Select(l2 => CrossValidatedAccuracy(splits, numClasses, options with { L2 = l2 })).ToList();
        double best = accuracies.Max();
        double chosen = candidates.Where((_, i) => accuracies[i] == best).Max();
        return new L2Choice(chosen, usedFolds, candidates.ToList(), accuracies);
    }

    /// <summary>Fewest examples of any class present in <paramref name="labels"/> (integer <c>[count]</c>).</summary>
    internal static int SmallestClassCount(Tensor labels) => LabelsToArray(labels).GroupBy(l => l).Min(g => g.Count());

    /// <summary>One split per fold: the other folds' features and labels to fit on, the fold's own to score on.</summary>
    private static List<(Tensor FitFeatures, Tensor FitLabels, Tensor HeldFeatures, Tensor HeldLabels)> Splits(
        Tensor features, Tensor labels, int[] foldOf, int folds)
    {
        var splits = new List<(Tensor, Tensor, Tensor, Tensor)>();
        for (int fold = 0; fold < folds; fold++)
        {
            var kept = Indices(foldOf, f => f != fold, features.device);
            var heldOut = Indices(foldOf, f => f == fold, features.device);
            splits.Add((features.index_select(0, kept), labels.index_select(0, kept.to(labels.device)),
                features.index_select(0, heldOut), labels.index_select(0, heldOut.to(labels.device))));
        }
        return splits;
    }

    /// <summary>Held-out accuracy pooled over the folds: hits on every fold's own examples over all examples.</summary>
    private static double CrossValidatedAccuracy(
        List<(Tensor FitFeatures, Tensor FitLabels, Tensor HeldFeatures, Tensor HeldLabels)> splits, int numClasses, LinearProbeOptions options)
    {
        double correct = 0;
        long count = 0;
        foreach (var (fitFeatures, fitLabels, heldFeatures, heldLabels) in splits)
        {
            using var probe = LinearProbe.Fit(fitFeatures, fitLabels, numClasses, options);
            correct += probe.Accuracy(heldFeatures, heldLabels) * heldLabels.shape[0];
            count += heldLabels.shape[0];
        }
        return correct / count;
    }

    private static Tensor Indices(int[] foldOf, Func<int, bool> keep, Device device) =>
        torch.tensor(Enumerable.Range(0, foldOf.Length).Where(i => keep(foldOf[i])).Select(i => (long)i).ToArray(), device: device);

    private static long[] LabelsToArray(Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ClassLabels.Require(labels, -1, nameof(labels));
        using var cpu = labels.cpu().to_type(ScalarType.Int64);
        return cpu.data<long>().ToArray();
    }
}
