using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ContrastiveNotes.Models;

/// <summary>
/// A small, CPU-friendly encoder for 28x28 images (Fashion-MNIST) and larger: three blocks of
/// 3x3 conv - BatchNorm - ReLU, the first two followed by 2x2 max-pooling, then global average pooling.
/// Channels: <c>width</c>, <c>2·width</c>, <c>featureDim</c>. Works for any input size of at least 28 pixels.
/// </summary>
public sealed class SmallConvNet : Encoder
{
    private readonly Sequential body;
    private readonly int inChannels;
    private readonly int featureDim;

    /// <summary>Creates the network with torchvision-style initialisation.</summary>
    /// <param name="inChannels">Image channels (1 for Fashion-MNIST, 3 for colour).</param>
    /// <param name="featureDim">Size of the output feature vector (128 by default).</param>
    /// <param name="width">Channels of the first block (32 by default); the second has twice as many.</param>
    public SmallConvNet(int inChannels = 1, int featureDim = 128, int width = 32) : base(nameof(SmallConvNet))
    {
        ModelArguments.RequirePositive(inChannels, nameof(inChannels));
        ModelArguments.RequirePositive(featureDim, nameof(featureDim));
        ModelArguments.RequirePositive(width, nameof(width));
        this.inChannels = inChannels;
        this.featureDim = featureDim;
        body = nn.Sequential(
            ("block1", Block(inChannels, width, pool: true)),
            ("block2", Block(width, 2 * width, pool: true)),
            ("block3", Block(2 * width, featureDim, pool: false)),
            ("pool", nn.AdaptiveAvgPool2d(1)),
            ("flatten", nn.Flatten()));
        RegisterComponents();
        WeightInit.InitializeLikeTorchvision(this);
    }

    /// <inheritdoc />
    public override int FeatureDim => featureDim;

    /// <summary>Features <c>[batch, FeatureDim]</c> of images <c>[batch, inChannels, height, width]</c>, height and width &gt;= 28.</summary>
    /// <param name="images">Images, float32.</param>
    public override Tensor forward(Tensor images)
    {
        RequireImages(images, inChannels, 28, nameof(SmallConvNet));
        return body.call(images);
    }

    private static Sequential Block(int input, int output, bool pool)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("conv", nn.Conv2d(input, output, kernel_size: 3, padding: 1, bias: false)),
            ("bn", nn.BatchNorm2d(output)),
            ("relu", nn.ReLU()),
        };
        if (pool)
            layers.Add(("pool", nn.MaxPool2d(kernel_size: 2)));
        return nn.Sequential(layers);
    }
}
