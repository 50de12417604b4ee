using System.Diagnostics;
using System.Globalization;
using ContrastiveNotes.Augmentations;
using ContrastiveNotes.Data;
using ContrastiveNotes.Interactive;
using ContrastiveNotes.Models;
using ContrastiveNotes.Training;
using TorchSharp;

namespace ContrastiveNotes.Benchmarks;

/// <summary>
/// Live tensors (TorchSharp's process-wide <c>Tensor.TotalCount</c>: the trainer's batches are made on the
/// prefetch thread and disposed on the training thread, so the per-thread dispose-scope statistic goes negative on
/// this path and cannot be read) and process RSS (VmRSS) after 100 and after N training steps
/// of the SmallConvNet SimCLR method run by the library's <see cref="Trainer"/> on Fashion-MNIST, with and without the
/// glibc mmap threshold that <see cref="Course.Setup"/> sets with <c>limitMallocCache: true</c>. Each configuration
/// runs in a fresh child process (the threshold cannot be unset once set).
/// </summary>
internal sealed class MemoryBenchmark : IBenchmark
{
    /// <summary>The hidden command a child process runs.</summary>
    public const string ChildCommand = "memory-child";

    private const int FirstCheckpoint = 100;

    public string Name => "memory";

    public string Description => "Live tensors and RSS after 100 and 2,000 SmallConvNet SimCLR steps, with/without Course.Setup's optional malloc setting.";

    public void Run(string[] args, BenchmarkContext context)
    {
        int steps = Options.Int(args, "--memory-steps", 2000);
        int batch = Options.Int(args, "--memory-batch", 32);
        int minutes = Options.Int(args, "--memory-minutes", 30);
        Console.WriteLine($"## Memory over {steps:N0} training steps (SmallConvNet SimCLR, Trainer, batch 2x{batch}; {Measure.MachineLoad()})");
        Console.WriteLine();
        Console.WriteLine($"The long run uses a batch of {batch} images (2x{batch} views), not 256, so that {steps:N0} steps fit the benchmark's time; " +
            $"each configuration runs in its own process, stopped after {minutes} min (the last row then shows the last step reached).");
        Console.WriteLine();
        Console.WriteLine("| malloc | steps | live tensors (first → last) | RSS MiB (first → last) | RSS growth | ms/step |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (bool tuned in new[] { false, true })
        {
            var samples = RunChildProcess(tuned, steps, batch, TimeSpan.FromMinutes(minutes));
            string label = tuned ? "Course.Setup(limitMallocCache: true) (mmap threshold 128 KiB)" : "glibc default";
            if (samples.Count < 2)
            {
                Console.WriteLine($"| {label} | not measured: the child reported {samples.Count} sample(s) before it ended or its time ran out | | | | |");
                context.Add("memory", $"{label}: RSS and live tensors", "not measured", "flat", null);
                continue;
            }
            var (first, last) = (samples[0], samples[^1]);
            double growth = last.RssMiB / first.RssMiB - 1;
            double msPerStep = (last.Seconds - first.Seconds) * 1000 / (last.Step - first.Step);
            string reached = last.Step < steps ? $"{first.Step} → {last.Step} (time limit; {steps} planned)" : $"{first.Step} → {last.Step}";
            Console.WriteLine($"| {label} | {reached} | {first.Live} → {last.Live} | {first.RssMiB:F0} → {last.RssMiB:F0} | {growth:+0.0%;-0.0%} | {msPerStep:F1} |");
            context.Add("memory", $"{label}: RSS growth {first.Step}→{last.Step} steps ({first.RssMiB:F0}→{last.RssMiB:F0} MiB)", $"{growth:+0.0%;-0.0%}", "< 5%", growth < 0.05);
            context.Add("memory", $"{label}: live tensors {first.Step}→{last.Step} steps", $"{first.Live}→{last.Live}", "flat", first.Live == last.Live);
        }
    }

    private static List<Sample> RunChildProcess(bool tuned, int steps, int batch, TimeSpan limit)
    {
        var info = Measure.SelfStartInfo(new[] { ChildCommand, tuned ? "tuned" : "default", steps.ToString(CultureInfo.InvariantCulture), batch.ToString(CultureInfo.InvariantCulture) });
        info.Environment.Remove("MALLOC_MMAP_THRESHOLD_");
        info.Environment[Course.ThreadsVariable] = "2";
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var samples = new List<Sample>();
        using var timer = new Timer(_ => { try { process.Kill(); } catch (InvalidOperationException) { } }, null, limit, Timeout.InfiniteTimeSpan);
        while (process.StandardOutput.ReadLine() is { } line)
        {
            var parts = line.Split(' ');
            if (parts.Length == 5 && parts[0] == "sample")
                samples.Add(new Sample(long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture),
                    double.Parse(parts[3], CultureInfo.InvariantCulture), double.Parse(parts[4], CultureInfo.InvariantCulture)));
        }
        process.WaitForExit();
        return samples;
    }

    /// <summary>The child: trains and prints "sample step live rssMiB seconds" every 100 steps from step 100 on.</summary>
    public static int RunChild(string[] args)
    {
        bool tuned = args[0] == "tuned";
        int steps = int.Parse(args[1], CultureInfo.InvariantCulture), batch = int.Parse(args[2], CultureInfo.InvariantCulture);
        if (tuned) Course.Setup(seed: 1, limitMallocCache: true);
        else torch.set_num_threads(2);
        using var dataset = FashionMnist.Load(train: true);
        int stepsPerEpoch = Math.Min(steps, dataset.Count / batch);
        int epochs = (steps + stepsPerEpoch - 1) / stepsPerEpoch;
        while (steps % stepsPerEpoch != 0) stepsPerEpoch--; // whole epochs: epochs * stepsPerEpoch == steps
        epochs = steps / stepsPerEpoch;
        using var subset = dataset.Subset(Enumerable.Range(0, stepsPerEpoch * batch).Select(i => (long)i).ToArray());
        var encoder = new SmallConvNet(1);
        var method = new SimClrMethod(encoder, new ProjectionHead(encoder.FeatureDim, encoder.FeatureDim, 128), AugmentationPresets.SimClr(28, 1).Apply);
        using var trainer = new Trainer(method, new TrainingOptions { Epochs = epochs, Seed = 1, ProgressEverySteps = FirstCheckpoint });
        var watch = Stopwatch.StartNew();
        trainer.ProgressChanged += (_, progress) =>
        {
            Console.Error.WriteLine(FormattableString.Invariant($"[memory {args[0]}] step {progress.Step}/{steps}, {watch.Elapsed.TotalSeconds:F0} s"));
            if (progress.Step < FirstCheckpoint) return;
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Console.WriteLine(FormattableString.Invariant(
                $"sample {progress.Step} {torch.Tensor.TotalCount} {Measure.ResidentMiB():F1} {watch.Elapsed.TotalSeconds:F2}"));
        };
        trainer.Fit(subset.Images, subset.Labels, batch);
        return 0;
    }

    private sealed record Sample(long Step, long Live, double RssMiB, double Seconds);
}
