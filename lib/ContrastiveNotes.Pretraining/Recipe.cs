using ContrastiveNotes.Augmentations;
using ContrastiveNotes.Models;
using ContrastiveNotes.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Pretraining;

/// <summary>
/// How one course encoder is trained: the method, its hyper-parameters and the encoder's architecture
/// (<see cref="SmallConvNet"/>(1, <see cref="FeatureDim"/>, <see cref="Width"/>)). The manifest stores every field,
/// so a result can be traced to what produced it.
/// </summary>
public sealed record Recipe(string Method, int BatchSize, double LearningRate, double WarmupEpochs, double WeightDecay,
    double Temperature, int FeatureDim = 128, int Width = 32)
{
    /// <summary>The course's recipes by name (simclr, moco, supcon, supervised).</summary>
    public static IReadOnlyDictionary<string, Recipe> All { get; } = new Dictionary<string, Recipe>
    {
        ["simclr"] = new("SimCLR", BatchSize: 256, LearningRate: 3e-3, WarmupEpochs: 1, WeightDecay: 1e-6, Temperature: 0.5),
        ["moco"] = new("MoCo v2", BatchSize: 256, LearningRate: 3e-3, WarmupEpochs: 1, WeightDecay: 1e-6, Temperature: 0.2),
        ["supcon"] = new("SupCon", BatchSize: 256, LearningRate: 3e-3, WarmupEpochs: 1, WeightDecay: 1e-6, Temperature: 0.1),
        ["supervised"] = new("supervised", BatchSize: 256, LearningRate: 3e-3, WarmupEpochs: 1, WeightDecay: 1e-6, Temperature: 0),
    };

    /// <summary>The recipe called <paramref name="name"/>, or an error listing the names there are.</summary>
    public static Recipe Named(string name) => All.TryGetValue(name, out var recipe) ? recipe
        : throw new ArgumentException($"There is no recipe '{name}'. Recipes: {string.Join(", ", All.Keys)}.", nameof(name));

    /// <summary>The hyper-parameters as name=value pairs, for the manifest.</summary>
    public IReadOnlyDictionary<string, string> Describe() => new Dictionary<string, string>
    {
        ["batchSize"] = $"{BatchSize}",
        ["optimizer"] = "Adam",
        ["learningRate"] = $"{LearningRate:G}",
        ["schedule"] = $"linear warm-up {WarmupEpochs:G} epoch(s), cosine to 0",
        ["weightDecay"] = $"{WeightDecay:G} (not on biases and BatchNorm)",
        ["temperature"] = $"{Temperature:G}",
        ["augmentation"] = Method == "supervised" ? "random resized crop (scale 0.6-1) and flip" : "AugmentationPresets.SimClr(28, 1)",
        ["precision"] = "bfloat16 (TrainingPrecision.BFloat16)",
        ["seed"] = "0",
    };

    /// <summary>A fresh encoder of this recipe's architecture, initial weights from the global seed.</summary>
    public SmallConvNet CreateEncoder() => new(1, FeatureDim, Width);

    /// <summary>The method with a fresh encoder (returned too: it is what is kept).</summary>
    public (ITrainingMethod Method, nn.Module<Tensor, Tensor> Encoder) CreateMethod()
    {
        var simclrViews = AugmentationPresets.SimClr(28, 1);
        switch (Method)
        {
            case "SimCLR":
            {
                var encoder = CreateEncoder();
                return (new SimClrMethod(encoder, new ProjectionHead(FeatureDim, FeatureDim, 128), simclrViews.Apply, Temperature), encoder);
            }
            case "MoCo v2":
            {
                var moco = new MoCoMethod(CreateEncoder, () => new ProjectionHead(FeatureDim, FeatureDim, 128), simclrViews.Apply,
                    projectionDim: 128, queueSize: 4096, temperature: Temperature, momentum: 0.99);
                return (moco, moco.Encoder);
            }
            case "SupCon":
            {
                var encoder = CreateEncoder();
                return (new SupConMethod(encoder, new ProjectionHead(FeatureDim, FeatureDim, 128), simclrViews.Apply, Temperature), encoder);
            }
            case "supervised":
            {
                var encoder = CreateEncoder();
                return (new SupervisedMethod(encoder, classes: 10, augment: RandomCropAndFlip()), encoder);
            }
            default:
                throw new InvalidOperationException($"Recipe method '{Method}' has no builder.");
        }
    }

    /// <summary>Training options of a run of <paramref name="epochs"/> epochs (bfloat16, Adam, warm-up + cosine).</summary>
    public TrainingOptions Options(int epochs, string checkpointPath, long seed) => new()
    {
        Epochs = epochs,
        Optimizer = OptimizerKind.Adam,
        LearningRate = LearningRate,
        WarmupEpochs = Math.Min(WarmupEpochs, epochs - 1),
        WeightDecay = WeightDecay,
        Precision = TrainingPrecision.BFloat16,
        CheckpointPath = checkpointPath,
        Seed = seed,
        ProgressEverySteps = 50,
    };

    private static Func<Tensor, Generator, Tensor> RandomCropAndFlip()
    {
        var augmentation = new Compose(new RandomResizedCrop(28, scale: (0.6, 1.0)), new RandomHorizontalFlip());
        return augmentation.Apply;
    }
}
