using ContrastiveNotes.Training;
using TorchSharp;

namespace ContrastiveNotes.Benchmarks;

/// <summary>
/// The SimCLR training step (forward + backward + Adam) of the library side by side with the same step in PyTorch
/// (<c>pytorch_step.py</c>, a child process), alternating rounds of steps between the two, 2 threads each, medians.
/// Augmentation is excluded from the compared step on both sides (identity views) and measured separately as a share
/// of the full library step.
/// </summary>
internal sealed class TrainingStepBenchmark : IBenchmark
{
    private const int Threads = 2;

    public string Name => "step";

    public string Description => "SimCLR step (ResNet-18 2x128 32x32; SmallConvNet 2x256 28x28) vs PyTorch, ms/step and ratio; augmentation share.";

    public void Run(string[] args, BenchmarkContext context)
    {
        int rounds = Options.Int(args, "--rounds", 5);
        torch.set_num_threads(Threads);
        Console.WriteLine($"## SimCLR training step vs PyTorch ({Threads} threads each, {rounds} alternated rounds, median ms/step; {Measure.MachineLoad()})");
        Console.WriteLine();
        Console.WriteLine("Step = forward + backward + Adam of encoder and 2-layer head with the NT-Xent loss, augmentation excluded on both sides " +
            "(identity views; measured separately below). Debian's PyTorch 1.13.1 uses the reference BLAS, so its matmul-heavy parts " +
            "(Linear layers, the similarity matrix) are slow; both workloads are convolution-dominated.");
        Console.WriteLine();
        Console.WriteLine("TorchSharp bf16 = `TrainingPrecision.BFloat16` (linear layers and convolutions in bfloat16 through `MixedPrecision`; " +
            "float32 weights, gradients, Adam state, BatchNorm statistics and loss), same initial weights; PyTorch runs float32.");
        Console.WriteLine();
        Console.WriteLine("| workload | TorchSharp ms/step | TorchSharp bf16 ms/step | PyTorch ms/step | TorchSharp / PyTorch | bf16 / PyTorch | bf16 / float32 | first loss C# / bf16 / Py | augmentation of 2 views (ms) | augmentation share of full step |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var workloads = new (string Key, string Label, Func<TrainingPrecision, SimClrStep> Create, int StepsPerRound)[]
        {
            ("smallconv", "SmallConvNet, Fashion-MNIST 2x256 [512,1,28,28]", SimClrStep.SmallConv, 3),
            ("resnet18", "CIFAR ResNet-18 + 512-512-128 head, 2x128 [256,3,32,32]", SimClrStep.ResNet18, 1),
        };
        foreach (var (key, label, create, stepsPerRound) in workloads)
        {
            if (args.Contains("--only") && !args.Contains(key)) continue;
            RunWorkload(key, label, create, stepsPerRound, rounds, context);
        }
    }

    private static void RunWorkload(string key, string label, Func<TrainingPrecision, SimClrStep> create, int stepsPerRound, int rounds,
        BenchmarkContext context)
    {
        using var step = create(TrainingPrecision.Float32);
        using var bf16Step = create(TrainingPrecision.BFloat16);
        using var python = PythonStepWorker.TryStart(key, Threads, out string skipped);
        var csharp = new List<double>();
        var py = new List<double>();
        var bf16 = new List<double>();
        var augment = new List<double>();
        double firstLoss = step.Step(augment: false), bf16FirstLoss = bf16Step.Step(augment: false), pyFirstLoss = double.NaN;
        step.Step(augment: true);
        step.AugmentTwoViews();
        if (python is not null) pyFirstLoss = python.Steps(1).FirstLoss;
        for (int round = 0; round < rounds; round++)
        {
            Console.Error.WriteLine($"[step] {key} round {round + 1}/{rounds}");
            for (int i = 0; i < stepsPerRound; i++) csharp.Add(Measure.Milliseconds(() => step.Step(augment: false)));
            for (int i = 0; i < stepsPerRound; i++) bf16.Add(Measure.Milliseconds(() => bf16Step.Step(augment: false)));
            if (python is not null) py.AddRange(python.Steps(stepsPerRound).Milliseconds);
            augment.Add(step.AugmentTwoViews());
        }
        double cs = Measure.Median(csharp), bf = Measure.Median(bf16), aug = Measure.Median(augment);
        double pyMs = python is null ? double.NaN : Measure.Median(py);
        double ratio = cs / pyMs, bf16Ratio = bf / pyMs, share = aug / (cs + aug);
        if (key == "smallconv") context.SmallConvStepMilliseconds = cs;
        string pyText = python is null ? skipped : $"{pyMs:F0}";
        Console.WriteLine($"| {label} | {cs:F0} | {bf:F0} | {pyText} | {Measure.Ratio(ratio)} | {Measure.Ratio(bf16Ratio)} | {Measure.Ratio(bf / cs)} | " +
            $"{firstLoss:F3} / {bf16FirstLoss:F3} / {pyFirstLoss:F3} | {aug:F1} | {share:P1} |");
        context.Add("training step", $"{key}: TorchSharp / PyTorch ms/step ({cs:F0} / {pyText})", Measure.Ratio(ratio), "<= 1.05",
            python is null ? null : ratio <= 1.05);
        if (key == "smallconv")
            context.Add("training step", $"{key}: TorchSharp bf16 / PyTorch float32 ms/step ({bf:F0} / {pyText})", Measure.Ratio(bf16Ratio), "<= 0.55",
                python is null ? null : bf16Ratio <= 0.55);
        context.Add("augmentation", $"{key}: share of a training step (2 views, {aug:F1} ms)", $"{share:P1}", "<= 10%", share <= 0.10);
    }
}
