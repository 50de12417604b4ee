using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Data;

/// <summary>
/// Seeded, class-stratified ways to cut a dataset: a few labelled examples per class (the semi-supervised
/// "k labels per class" setting used to evaluate self-supervised encoders) and train/validation splits.
/// </summary>
public static class DatasetSplits
{
    /// <summary>Picks <paramref name="perClass"/> random images of every class (in a seeded random order).</summary>
    public static ImageDataset StratifiedSubset(ImageDataset dataset, int perClass, long seed)
    {
        if (perClass < 1) throw new ArgumentOutOfRangeException(nameof(perClass), $"perClass must be at least 1, but it is {perClass}.");
        var byClass = ShuffledIndicesByClass(dataset, seed);
        for (int c = 0; c < byClass.Length; c++)
            if (byClass[c].Count < perClass)
                throw new ArgumentException(
                    $"Class {c} ('{dataset.ClassNames[c]}') of '{dataset.Name}' has {byClass[c].Count} images, fewer than the {perClass} per class asked for. " +
                    "Ask for fewer per class or use a larger dataset.", nameof(perClass));
        return dataset.Subset(Interleave(byClass.Select(list => list.Take(perClass).ToList()).ToArray()));
    }

    /// <summary>
    /// Splits the dataset into training and validation parts, keeping each class's proportion:
    /// <c>round(validationFraction * classCount)</c> images of every class go to validation.
    /// </summary>
    public static (ImageDataset Train, ImageDataset Validation) TrainValidation(ImageDataset dataset, double validationFraction, long seed)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction),
                $"validationFraction must lie strictly between 0 and 1 (e.g. 0.1), but it is {validationFraction}.");
        var byClass = ShuffledIndicesByClass(dataset, seed);
        var validation = byClass.Select(list => list.Take((int)Math.Round(validationFraction * list.Count)).ToList()).ToArray();
        var train = byClass.Select((list, c) => list.Skip(validation[c].Count).ToList()).ToArray();
        return (dataset.Subset(Interleave(train)), dataset.Subset(Interleave(validation)));
    }

    private static List<long>[] ShuffledIndicesByClass(ImageDataset dataset, long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var permutation = torch.randperm(dataset.Count, generator: generator);
        using var shuffledLabels = dataset.Labels.index_select(0, permutation);
        long[] order = permutation.data<long>().ToArray(), labels = shuffledLabels.data<long>().ToArray();
        var byClass = Enumerable.Range(0, dataset.ClassNames.Count).Select(_ => new List<long>()).ToArray();
        for (int i = 0; i < order.Length; i++) byClass[labels[i]].Add(order[i]);
        return byClass;
    }

    /// <summary>Round-robin over the classes so that any prefix of the result is roughly balanced.</summary>
    private static long[] Interleave(IReadOnlyList<List<long>> byClass)
    {
        var result = new List<long>();
        for (int i = 0; result.Count < byClass.Sum(l => l.Count); i++)
            foreach (var list in byClass)
                if (i < list.Count) result.Add(list[i]);
        return result.ToArray();
    }
}
