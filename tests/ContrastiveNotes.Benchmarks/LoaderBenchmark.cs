using ContrastiveNotes.Data;
using TorchSharp;

namespace ContrastiveNotes.Benchmarks;

/// <summary>
/// Fashion-MNIST through <see cref="BatchIterator"/> (prefetching the next batch on a background task): batches/s of the
/// iterator alone, and inside a training loop the time the step waits for the next batch as a share of the step time
/// (full library SimCLR step with augmentation, SmallConvNet, 2x256 views).
/// </summary>
internal sealed class LoaderBenchmark : IBenchmark
{
    private const int BatchSize = 256;

    public string Name => "data";

    public string Description => "Fashion-MNIST BatchIterator batches/s vs the SmallConvNet SimCLR step's consumption (loader wait % of step time).";

    public void Run(string[] args, BenchmarkContext context)
    {
        int steps = Options.Int(args, "--loader-steps", 15);
        torch.set_num_threads(2);
        Console.WriteLine($"## Data loading: Fashion-MNIST BatchIterator (batch {BatchSize}, prefetch) vs the training step ({Measure.MachineLoad()})");
        Console.WriteLine();
        ImageDataset dataset;
        try
        {
            dataset = FashionMnist.Load(train: true);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or InvalidDataException or IOException)
        {
            Console.WriteLine($"skipped: Fashion-MNIST not found ({ex.Message})");
            return;
        }
        using (dataset)
        {
            double alone = IteratorAlone(dataset, batches: 60);
            var (waitMs, stepMs) = InTrainingLoop(dataset, steps);
            double share = waitMs / stepMs;
            Console.WriteLine("| iterator alone (batches/s) | step consumes (batches/s) | mean wait per step (ms) | mean step (ms) | wait / step time |");
            Console.WriteLine("|---:|---:|---:|---:|---:|");
            Console.WriteLine($"| {alone:F1} | {1000 / stepMs:F2} | {waitMs:F2} | {stepMs:F0} | {share:P2} |");
            context.Add("data", $"loader wait / step time (SmallConvNet 2x{BatchSize}, {steps} steps; iterator alone {alone:F0} batches/s)", $"{share:P2}", "< 5%", share < 0.05);
        }
    }

    private static double IteratorAlone(ImageDataset dataset, int batches)
    {
        var iterator = new BatchIterator(dataset, BatchSize, torch.CPU, seed: 1, shuffle: true, dropLast: true);
        using var enumerator = iterator.GetEnumerator();
        enumerator.MoveNext(); // first batch has no prefetch to hide behind
        double ms = Measure.Milliseconds(() =>
        {
            for (int i = 0; i < batches; i++)
            {
                using var scope = torch.NewDisposeScope();
                enumerator.MoveNext();
            }
        });
        return batches / (ms / 1000);
    }

    private static (double WaitMs, double StepMs) InTrainingLoop(ImageDataset dataset, int steps)
    {
        using var step = SimClrStep.SmallConv();
        var iterator = new BatchIterator(dataset, BatchSize, torch.CPU, seed: 2, shuffle: true, dropLast: true);
        using var enumerator = iterator.GetEnumerator();
        double wait = 0, work = 0;
        for (int i = -1; i < steps; i++) // step -1 warms up and is not counted
        {
            using var scope = torch.NewDisposeScope();
            double w = Measure.Milliseconds(() => enumerator.MoveNext());
            double s = Measure.Milliseconds(() => step.Step(enumerator.Current.Images, augment: true));
            if (i < 0) continue;
            wait += w;
            work += s;
        }
        return (wait / steps, work / steps);
    }
}
