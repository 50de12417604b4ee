using System.Diagnostics;
using ContrastiveNotes.Augmentations;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Benchmarks;

/// <summary>
/// Throughput of the SimCLR augmentation preset on a batch of 512 images, applied to the whole batch at
/// once versus image by image (batches of one in a C# loop), measured alternately in one process.
/// </summary>
internal sealed class AugmentationBenchmark : IBenchmark
{
    private const int BatchSize = 512;

    public string Name => "augmentations";

    public string Description => "SimCLR preset: batched [512, C, H, W] vs one image at a time (images/s and ratio).";

    public void Run(string[] args, BenchmarkContext context)
    {
        // Arguments: [rounds] [--threads N] [--per-op]. Without --threads, runs at libtorch's default thread
        // count and at one thread: on a shared, oversubscribed machine OpenMP's barriers can make the
        // multi-threaded batched run much slower than the single-threaded one.
        // 9 rounds by default: on a shared virtual machine single rounds vary by up to 2x (about 1 s per round).
        int rounds = args.Length > 0 && int.TryParse(args[0], out int r) ? r : 9;
        int threadsAt = Array.IndexOf(args, "--threads");
        int defaultThreads = torch.get_num_threads();
        int[] threadCounts = threadsAt >= 0 && threadsAt + 1 < args.Length ? new[] { int.Parse(args[threadsAt + 1]) }
            : defaultThreads == 1 ? new[] { 1 } : new[] { defaultThreads, 1 };
        Console.WriteLine($"## SimCLR augmentation throughput (batch {BatchSize}, {rounds} alternated rounds, median; Release)");
        Console.WriteLine();
        Console.WriteLine("| input | threads | batched (images/s) | per-image loop (images/s) | batched / per-image |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (int threads in threadCounts)
        {
            torch.set_num_threads(threads);
            foreach (var (channels, size) in new[] { (3, 32), (1, 28) })
            {
                var (batched, perImage) = Measure(channels, size, rounds);
                Console.WriteLine($"| [{BatchSize}, {channels}, {size}, {size}] | {threads} | {batched:N0} | {perImage:N0} | {batched / perImage:F1}x |");
                context.Add("augmentation", $"batched / per-image, [{BatchSize}, {channels}, {size}, {size}], {threads} thread(s) ({batched:N0} vs {perImage:N0} images/s)",
                    $"{batched / perImage:F1}x", ">= 20x", batched / perImage >= 20);
            }
        }
        if (args.Contains("--per-op")) PerOperation(); // at the last thread count of the table
        torch.set_num_threads(defaultThreads);
    }

    private static (double Batched, double PerImage) Measure(int channels, int size, int rounds)
    {
        using var images = torch.rand(new long[] { BatchSize, channels, size, size }, generator: new Generator(1));
        var preset = AugmentationPresets.SimClr(size, channels);
        using var generator = new Generator(2);
        Batched(preset, images, generator);
        PerImage(preset, images, generator, count: 32);
        var batched = new List<double>();
        var perImage = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            batched.Add(Batched(preset, images, generator));
            perImage.Add(PerImage(preset, images, generator, BatchSize));
        }
        return (Median(batched), Median(perImage));
    }

    /// <summary>Milliseconds per batch of each step of the colour SimCLR preset (where the time goes).</summary>
    private static void PerOperation()
    {
        using var images = torch.rand(new long[] { BatchSize, 3, 32, 32 }, generator: new Generator(1));
        using var generator = new Generator(3);
        IBatchAugmentation[] steps =
        {
            new RandomResizedCrop(32), new RandomHorizontalFlip(), new ColorJitter(brightness: 0.4), new ColorJitter(contrast: 0.4),
            new ColorJitter(saturation: 0.4), new ColorJitter(hue: 0.1), new RandomGrayscale(0.2), new GaussianBlur(3),
        };
        Console.WriteLine();
        Console.WriteLine($"| step on [{BatchSize}, 3, 32, 32], {torch.get_num_threads()} thread(s) | ms per batch |");
        Console.WriteLine("|---|---:|");
        foreach (var step in steps)
        {
            double imagesPerSecond = Batched(step, images, generator);
            Console.WriteLine($"| {step.Describe()} | {1000.0 * BatchSize / imagesPerSecond:F1} |");
        }
    }

    private static double Batched(IBatchAugmentation augmentation, Tensor images, Generator generator)
    {
        const int repeats = 5;
        // One untimed call first, so that the batch-sized buffers freed during the per-image loop are back in the
        // allocator before the clock starts, as in a training loop whose steps allocate the same sizes every time.
        using (torch.NewDisposeScope()) augmentation.Apply(images, generator);
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < repeats; i++)
        {
            using var scope = torch.NewDisposeScope();
            augmentation.Apply(images, generator);
        }
        return repeats * images.shape[0] / watch.Elapsed.TotalSeconds;
    }

    private static double PerImage(IBatchAugmentation augmentation, Tensor images, Generator generator, int count)
    {
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            using var scope = torch.NewDisposeScope();
            augmentation.Apply(images.narrow(0, i, 1), generator);
        }
        return count / watch.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> values) => values.OrderBy(v => v).ElementAt(values.Count / 2);
}
