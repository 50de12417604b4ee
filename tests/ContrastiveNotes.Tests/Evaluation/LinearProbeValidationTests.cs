using ContrastiveNotes.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Evaluation;

public class LinearProbeValidationTests
{
    private static readonly LinearProbeOptions FewSteps = new(Steps: 60);

    [Fact]
    public void StratifiedFoldsDealEveryClassEvenlyAndAreSeeded()
    {
        // Classes of 7, 10 and 3 examples, interleaved.
        var labels = torch.tensor(Enumerable.Range(0, 20).Select(i => (long)(i < 10 ? 1 : i < 17 ? 0 : 2)).Reverse().ToArray());
        int[] folds = LinearProbeValidation.StratifiedFolds(labels, 3, seed: 5);
        Assert.Equal(20, folds.Length);
        Assert.All(folds, f => Assert.InRange(f, 0, 2));
        long[] classOf = labels.data<long>().ToArray();
        foreach (var (cls, size) in new[] { (0L, 7), (1L, 10), (2L, 3) })
        {
            var perFold = Enumerable.Range(0, 3).Select(f => Enumerable.Range(0, 20).Count(i => classOf[i] == cls && folds[i] == f)).ToArray();
            Assert.Equal(size, perFold.Sum());
            Assert.True(perFold.Max() - perFold.Min() <= 1, $"class {cls}: fold sizes {string.Join(", ", perFold)}");
        }
        Assert.Equal(folds, LinearProbeValidation.StratifiedFolds(labels, 3, seed: 5));
        Assert.NotEqual(folds, LinearProbeValidation.StratifiedFolds(labels, 3, seed: 6));
    }

    [Fact]
    public void ValidationAccuracyIsThePooledHeldOutAccuracyOfProbesFittedOnTheOtherFolds()
    {
        var (features, labels) = SyntheticFeatures.Clusters(3, 8, 6, 2.5, seed: 21);
        var choice = LinearProbeValidation.ChooseL2(features, labels, 3, new[] { 1e-3, 1e-1 }, folds: 4, seed: 9, options: FewSteps);

        // The k-fold loop written out: fit on three folds, count the hits on the fourth.
        int[] foldOf = LinearProbeValidation.StratifiedFolds(labels, 4, seed: 9);
        for (int c = 0; c < 2; c++)
        {
            int hits = 0;
            for (int fold = 0; fold < 4; fold++)
            {
                var train = torch.tensor(Enumerable.Range(0, 24).Where(i => foldOf[i] != fold).Select(i => (long)i).ToArray());
                var held = Enumerable.Range(0, 24).Where(i => foldOf[i] == fold).ToArray();
                using var probe = LinearProbe.Fit(features.index_select(0, train), labels.index_select(0, train), 3, FewSteps with { L2 = choice.Candidates[c] });
                long[] predicted = probe.Predict(features).data<long>().ToArray();
                long[] truth = labels.data<long>().ToArray();
                hits += held.Count(i => predicted[i] == truth[i]);
            }
            Assert.Equal(hits / 24.0, choice.ValidationAccuracies[c], 12);
        }
        Assert.Equal(4, choice.Folds);
    }

    [Fact]
    public void ChoosesTheBestCandidateAndTheLargestPenaltyAmongEquals()
    {
        // Far-apart clusters: every penalty classifies every held-out example, so all candidates tie.
        var (separable, separableLabels) = SyntheticFeatures.Clusters(3, 10, 4, 0.05, seed: 22);
        var tie = LinearProbeValidation.ChooseL2(separable, separableLabels, 3, new[] { 1e-4, 1e-2, 1e-1 }, seed: 1, options: FewSteps);
        Assert.All(tie.ValidationAccuracies, a => Assert.Equal(1.0, a));
        Assert.Equal(1e-1, tie.L2);

        // Few, noisy, high-dimensional examples: the choice is the arg max of the reported accuracies.
        var (noisy, noisyLabels) = SyntheticFeatures.Clusters(4, 6, 40, 6.0, seed: 23);
        var choice = LinearProbeValidation.ChooseL2(noisy, noisyLabels, 4, seed: 2, options: FewSteps);
        int chosen = choice.Candidates.ToList().IndexOf(choice.L2);
        Assert.Equal(choice.ValidationAccuracies.Max(), choice.ValidationAccuracies[chosen]);
        Assert.DoesNotContain(Enumerable.Range(0, choice.Candidates.Count), i => choice.Candidates[i] > choice.L2 && choice.ValidationAccuracies[i] == choice.ValidationAccuracies[chosen]);
        Assert.Equal(LinearProbeValidation.DefaultCandidates, choice.Candidates);
    }

    [Fact]
    public void UsesFewerFoldsForSmallClassesAndRefusesSingleExamples()
    {
        var (features, labels) = SyntheticFeatures.Clusters(2, 3, 4, 1.0, seed: 24);
        Assert.Equal(3, LinearProbeValidation.ChooseL2(features, labels, 2, new[] { 1e-3 }, folds: 5, options: FewSteps).Folds);

        var one = torch.tensor(new long[] { 0, 0, 1, 2, 2 });
        var error = Assert.Throws<ArgumentException>(() => LinearProbeValidation.ChooseL2(torch.randn(5, 3), one, 3, options: FewSteps));
        Assert.Contains("at least 2 labelled examples of every class", error.Message);
        Assert.Contains("LinearProbeOptions.L2", error.Message);
        Assert.Throws<ArgumentException>(() => LinearProbeValidation.ChooseL2(features, labels, 2, new[] { -1.0 }));
    }

    [Fact]
    public void TheLabelEfficiencyCurveCrossValidatesEachSubsetExceptSingleExamples()
    {
        var (train, trainLabels) = SyntheticFeatures.Clusters(3, 20, 6, 2.0, seed: 25);
        var (test, testLabels) = SyntheticFeatures.Clusters(3, 10, 6, 2.0, seed: 26);
        double[] candidates = { 1e-4, 3e-2, 3e-1 };
        var points = LabelEfficiency.LinearProbeCurve(train, trainLabels, test, testLabels, new[] { 1, 6 }, seed: 7, FewSteps, candidates);
        Assert.Equal(FewSteps.L2, points[0].ProbeL2);

        using var generator = new Generator(7);
        var subset = LabelEfficiency.SelectPerClass(trainLabels, 6, generator);
        var expected = LinearProbeValidation.ChooseL2(train.index_select(0, subset), trainLabels.index_select(0, subset), 3, candidates, seed: 7, options: FewSteps);
        Assert.Equal(expected.L2, points[1].ProbeL2);
        using var probe = LinearProbe.Fit(train.index_select(0, subset), trainLabels.index_select(0, subset), 3, FewSteps with { L2 = expected.L2 });
        Assert.Equal(probe.Accuracy(test, testLabels), points[1].Accuracy, 12);
    }
}
