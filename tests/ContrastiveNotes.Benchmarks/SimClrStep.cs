using ContrastiveNotes.Augmentations;
using ContrastiveNotes.Models;
using ContrastiveNotes.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Benchmarks;

/// <summary>
/// One SimCLR training step built from the library (encoder, 2-layer projection head, NT-Xent through
/// <see cref="SimClrMethod"/>, Adam from <see cref="OptimizerFactory"/>), driven exactly as <see cref="Trainer"/>
/// drives it: a dispose scope, zero_grad, loss (inside a <see cref="MixedPrecision"/> scope for bfloat16), loss read
/// back, backward, optimizer step.
/// </summary>
internal sealed class SimClrStep : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> encoder;
    private readonly nn.Module<Tensor, Tensor> head;
    private readonly SimClrMethod pureMethod;
    private readonly SimClrMethod augmentedMethod;
    private readonly optim.Optimizer optimizer;
    private readonly Generator generator = new(7);
    private readonly Tensor images;
    private readonly Tensor labels;
    private readonly MixedPrecision? mixedPrecision;

    private SimClrStep(Encoder encoder, long batch, int channels, int size, TrainingPrecision precision)
    {
        this.encoder = encoder;
        head = new ProjectionHead(encoder.FeatureDim, encoder.FeatureDim, 128);
        Augmentation = AugmentationPresets.SimClr(size, channels);
        pureMethod = new SimClrMethod(encoder, head, (x, _) => x);
        augmentedMethod = new SimClrMethod(encoder, head, Augmentation.Apply);
        pureMethod.SetTrainingMode(true);
        optimizer = OptimizerFactory.Create(new TrainingOptions { Optimizer = OptimizerKind.Adam, LearningRate = 1e-3 },
            pureMethod.TrainableParameters.Select(p => p.Parameter));
        if (MixedPrecision.ComputeTypeOf(precision) is { } computeType)
            mixedPrecision = new MixedPrecision(pureMethod.Modules, computeType);
        Precision = precision;
        images = torch.rand(new[] { batch, channels, size, size }, generator: new Generator(1));
        labels = torch.zeros(batch, ScalarType.Int64);
    }

    /// <summary>CIFAR ResNet-18 + 512-512-128 head, 128 images 32x32 (2x128 views per step).</summary>
    public static SimClrStep ResNet18(TrainingPrecision precision = TrainingPrecision.Float32)
    {
        torch.manual_seed(1);
        return new(Models.ResNet.ResNet18(3, ResNetStem.Cifar), 128, 3, 32, precision);
    }

    /// <summary>SmallConvNet + 128-128-128 head, 256 Fashion-MNIST-sized images 28x28 (2x256 views per step).</summary>
    public static SimClrStep SmallConv(TrainingPrecision precision = TrainingPrecision.Float32)
    {
        torch.manual_seed(1);
        return new(new SmallConvNet(1), 256, 1, 28, precision);
    }

    /// <summary>The number format of the forward and backward pass (float32 weights and optimizer in both cases).</summary>
    public TrainingPrecision Precision { get; }

    /// <summary>The SimCLR augmentation preset of this workload.</summary>
    public Compose Augmentation { get; }

    /// <summary>The images of one step, <c>[B, C, H, W]</c>.</summary>
    public Tensor Images => images;

    /// <summary>One step; with <paramref name="augment"/> the views are the SimCLR preset's, otherwise the images themselves.</summary>
    /// <returns>The step's loss.</returns>
    public double Step(bool augment) => Step(images, augment);

    /// <summary>One step on <paramref name="batch"/> (float32 <c>[B, C, H, W]</c> in [0, 1]).</summary>
    /// <returns>The step's loss.</returns>
    public double Step(Tensor batch, bool augment)
    {
        using var scope = torch.NewDisposeScope();
        optimizer.zero_grad();
        Tensor loss;
        using (mixedPrecision?.Enter())
            loss = (augment ? augmentedMethod : pureMethod).ComputeLoss(batch, labels, generator);
        double value = loss.ToDouble();
        loss.backward();
        optimizer.step();
        return value;
    }

    /// <summary>Milliseconds to augment the two views of one step (no gradient).</summary>
    public double AugmentTwoViews()
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        return Measure.Milliseconds(() =>
        {
            Augmentation.Apply(images, generator);
            Augmentation.Apply(images, generator);
        });
    }

    /// <inheritdoc />
    public void Dispose()
    {
        optimizer.Dispose();
        encoder.Dispose();
        head.Dispose();
        images.Dispose();
        labels.Dispose();
        generator.Dispose();
    }
}
