using ContrastiveNotes.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Training;

/// <summary>Tiny private stand-ins (MLP encoder on 8x8 images, NT-Xent, noise augmentation, synthetic data) for the training tests.</summary>
internal static class TrainingTestKit
{
    public const int Size = 8;

    public static Sequential Encoder() => nn.Sequential(nn.Flatten(), nn.Linear(Size * Size, 32), nn.ReLU(), nn.Linear(32, 16));

    public static Linear Head(int outputs = 8) => nn.Linear(16, outputs);

    /// <summary>Sets every parameter from a private seeded generator, so tests never touch the global RNG.</summary>
    public static T Initialize<T>(T module, long seed) where T : nn.Module
    {
        using var generator = new Generator((ulong)seed, CPU);
        using var _ = no_grad();
        foreach (var p in module.parameters())
            p.copy_(randn(p.shape, generator: generator) * (p.dim() > 1 ? 1.0 / Math.Sqrt(p.shape[1]) : 0.1));
        return module;
    }

    /// <summary>NT-Xent (Chen et al. 2020) written plainly: cosine similarities / t, self-similarity masked, positive at i ± B.</summary>
    public static Tensor NtXent(Tensor z1, Tensor z2, double temperature = 0.5)
    {
        long batch = z1.shape[0];
        var z = nn.functional.normalize(cat(new[] { z1, z2 }, 0), dim: 1);
        var logits = z.matmul(z.t()).div(temperature);
        logits = logits.masked_fill(eye(2 * batch, dtype: ScalarType.Bool, device: z.device), double.NegativeInfinity);
        var targets = arange(2 * batch, device: z.device).add(batch).remainder(2 * batch);
        return nn.functional.cross_entropy(logits, targets);
    }

    /// <summary><see cref="NtXent"/> at τ = 0.5 as a loss module, for methods composed with a loss.</summary>
    public sealed class ReferenceNtXent() : nn.Module<Tensor, Tensor, Tensor>(nameof(ReferenceNtXent))
    {
        public override Tensor forward(Tensor z1, Tensor z2) => NtXent(z1, z2);
    }

    /// <summary>Additive Gaussian noise and a random horizontal flip per image, drawn from the generator.</summary>
    public static Tensor Augment(Tensor images, Generator generator)
    {
        var noise = randn(images.shape, generator: generator, device: images.device).mul(0.1);
        var flip = rand(new[] { images.shape[0], 1L, 1L, 1L }, generator: generator, device: images.device).lt(0.5);
        return where(flip, images.flip(3), images).add(noise).clamp(0, 1);
    }

    public static SimClrMethod SimClr(long initSeed) =>
        new(Initialize(Encoder(), initSeed), Initialize(Head(), initSeed + 1), Augment, new ReferenceNtXent());

    /// <summary>A method by name with deterministic initial weights: SimCLR, MoCo (queue of 20), SupCon, Supervised, BYOL (12 steps) or SimSiam.</summary>
    public static ITrainingMethod Method(string name, long initSeed) => name switch
    {
        "SimCLR" => SimClr(initSeed),
        "MoCo" => new MoCoMethod(() => Initialize(Encoder(), initSeed), () => Initialize(Head(), initSeed + 1), Augment,
            projectionDim: 8, queueSize: 20, temperature: 0.2, momentum: 0.9, queueSeed: 5),
        "SupCon" => new SupConMethod(Initialize(Encoder(), initSeed), Initialize(Head(), initSeed + 1), Augment, temperature: 0.1),
        "Supervised" => new SupervisedMethod(Initialize(Encoder(), initSeed), Initialize(Head(4), initSeed + 1), Augment),
        "BYOL" => new ByolMethod(() => Initialize(Encoder(), initSeed), () => Initialize(Head(), initSeed + 1),
            Initialize(nn.Linear(8, 8), initSeed + 2), Augment, totalSteps: 12),
        "SimSiam" => new SimSiamMethod(Initialize(Encoder(), initSeed), Initialize(Head(), initSeed + 1), Initialize(nn.Linear(8, 8), initSeed + 2), Augment),
        _ => throw new ArgumentException(name),
    };

    /// <summary>4 classes of 8x8 images: a bright quadrant per class plus noise; float32 in [0, 1].</summary>
    public static (Tensor Images, Tensor Labels) Quadrants(int count, long seed)
    {
        using var generator = new Generator((ulong)seed, CPU);
        var labels = randint(4, new long[] { count }, generator: generator);
        var images = rand(new long[] { count, 1, Size, Size }, generator: generator).mul(0.3);
        var rows = arange(Size).lt(Size / 2).view(1, 1, Size, 1);
        var cols = arange(Size).lt(Size / 2).view(1, 1, 1, Size);
        var top = labels.lt(2).view(count, 1, 1, 1);
        var left = labels.remainder(2).eq(0).view(count, 1, 1, 1);
        var mask = rows.eq(top).logical_and(cols.eq(left));
        return (images.add(mask.to(ScalarType.Float32).mul(0.6)).DetachFromDisposeScope(), labels.DetachFromDisposeScope());
    }

    public static float[] Flatten(ITrainingMethod method) =>
        method.Modules.SelectMany(m => m.parameters()).SelectMany(p => p.detach().cpu().data<float>().ToArray()).ToArray();

    public static string TempFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "cn-training-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Synchronous IProgress (Progress&lt;T&gt; posts asynchronously, which tests cannot rely on).</summary>
    public sealed class Callback(Action<TrainingProgress> action) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => action(value);
    }
}
