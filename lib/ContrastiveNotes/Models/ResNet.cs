using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ContrastiveNotes.Models;

/// <summary>
/// ResNet-18 and ResNet-34 (He, Zhang, Ren &amp; Sun 2015, "Deep Residual Learning for Image Recognition",
/// arXiv:1512.03385, Table 1) without the classification layer: <c>forward</c> returns the 512 globally pooled
/// features. The stem is chosen for the image size (<see cref="ResNetStem"/>), any number of input channels is
/// accepted, and initialisation follows torchvision (parameter names too, e.g. <c>layer1.0.conv1.weight</c>).
/// </summary>
public sealed class ResNet : Encoder
{
    private const int Features = 512;
    private static readonly int[] StageWidths = { 64, 128, 256, 512 };

    private readonly Sequential stem;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;
    private readonly int inChannels;

    /// <summary>Creates a ResNet with basic blocks.</summary>
    /// <param name="blocksPerStage">Blocks in each of the four stages: {2, 2, 2, 2} for ResNet-18, {3, 4, 6, 3} for ResNet-34.</param>
    /// <param name="inChannels">Image channels.</param>
    /// <param name="stemKind">CIFAR (3x3, stride 1, no pooling) or ImageNet (7x7 stride 2 + max-pool) stem.</param>
    public ResNet(IReadOnlyList<int> blocksPerStage, int inChannels, ResNetStem stemKind) : base(nameof(ResNet))
    {
        if (blocksPerStage.Count != 4 || blocksPerStage.Any(count => count < 1))
            throw new ArgumentException(
                $"blocksPerStage must hold 4 counts >= 1, but it is [{string.Join(", ", blocksPerStage)}]. " +
                "Use [2, 2, 2, 2] (ResNet-18) or [3, 4, 6, 3] (ResNet-34).", nameof(blocksPerStage));
        ModelArguments.RequirePositive(inChannels, nameof(inChannels));
        this.inChannels = inChannels;
        StemKind = stemKind;
        stem = Stem(inChannels, stemKind);
        layer1 = Stage(StageWidths[0], StageWidths[0], blocksPerStage[0], stride: 1);
        layer2 = Stage(StageWidths[0], StageWidths[1], blocksPerStage[1], stride: 2);
        layer3 = Stage(StageWidths[1], StageWidths[2], blocksPerStage[2], stride: 2);
        layer4 = Stage(StageWidths[2], StageWidths[3], blocksPerStage[3], stride: 2);
        RegisterComponents();
        WeightInit.InitializeLikeTorchvision(this);
    }

    /// <summary>ResNet-18 (11.2 M parameters without the classifier).</summary>
    /// <param name="inChannels">Image channels (3 for colour, 1 for grayscale).</param>
    /// <param name="stem">CIFAR stem for 32x32 images, ImageNet stem for large ones.</param>
    public static ResNet ResNet18(int inChannels = 3, ResNetStem stem = ResNetStem.Cifar) => new(new[] { 2, 2, 2, 2 }, inChannels, stem);

    /// <summary>ResNet-34 (21.3 M parameters without the classifier).</summary>
    /// <param name="inChannels">Image channels.</param>
    /// <param name="stem">CIFAR stem for 32x32 images, ImageNet stem for large ones.</param>
    public static ResNet ResNet34(int inChannels = 3, ResNetStem stem = ResNetStem.Cifar) => new(new[] { 3, 4, 6, 3 }, inChannels, stem);

    /// <summary>The stem this network was built with.</summary>
    public ResNetStem StemKind { get; }

    /// <inheritdoc />
    public override int FeatureDim => Features;

    /// <summary>Features <c>[batch, 512]</c> of images <c>[batch, inChannels, height, width]</c>.</summary>
    /// <param name="images">Images, float32, at least 8x8 (28x28 and 32x32 work with both stems).</param>
    public override Tensor forward(Tensor images)
    {
        RequireImages(images, inChannels, 8, nameof(ResNet));
        // Each stage's output is disposed as soon as the next stage has read it: what backward needs, autograd keeps.
        var x = stem.call(images);
        foreach (var stage in new[] { layer1, layer2, layer3, layer4 })
        {
            var next = stage.call(x);
            x.Dispose();
            x = next;
        }
        using (x) return x.mean(new long[] { 2, 3 });
    }

    private static Sequential Stem(int inChannels, ResNetStem kind) => kind switch
    {
        ResNetStem.Cifar => nn.Sequential(
            ("conv1", nn.Conv2d(inChannels, 64, kernel_size: 3, stride: 1, padding: 1, bias: false)),
            ("bn1", nn.BatchNorm2d(64)),
            ("relu", nn.ReLU(inplace: true))),
        ResNetStem.ImageNet => nn.Sequential(
            ("conv1", nn.Conv2d(inChannels, 64, kernel_size: 7, stride: 2, padding: 3, bias: false)),
            ("bn1", nn.BatchNorm2d(64)),
            ("relu", nn.ReLU(inplace: true)),
            ("maxpool", nn.MaxPool2d(kernel_size: 3, stride: 2, padding: 1))),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Use ResNetStem.Cifar or ResNetStem.ImageNet."),
    };

    private static Sequential Stage(int input, int output, int blocks, int stride)
    {
        var layers = new List<nn.Module<Tensor, Tensor>> { new BasicBlock(input, output, stride) };
        for (int i = 1; i < blocks; i++)
            layers.Add(new BasicBlock(output, output, 1));
        return nn.Sequential(layers);
    }
}
