using ContrastiveNotes.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Models;

public class EncoderTests
{
    private static Tensor Images(int batch, int channels, int size) =>
        torch.rand(new long[] { batch, channels, size, size }, generator: new torch.Generator(1));

    [Theory]
    [InlineData(1, 28)]
    [InlineData(3, 32)]
    [InlineData(1, 40)]
    public void SmallConvNetReturnsFeatureDimFeatures(int channels, int size)
    {
        using var scope = torch.NewDisposeScope();
        var net = new SmallConvNet(channels, featureDim: 24, width: 8);
        Assert.Equal(new long[] { 2, 24 }, net.call(Images(2, channels, size)).shape);
        Assert.Equal(24, net.FeatureDim);
        Assert.Equal(128, new SmallConvNet().FeatureDim);
    }

    [Fact]
    public void SmallConvNetParameterCountMatchesItsLayers()
    {
        // conv 1→32, 32→64, 64→128 (3x3, no bias) with BatchNorm (2 per channel), then 128·3·3 → 128 (no bias) + BatchNorm1d.
        long expected = 1 * 32 * 9 + 2 * 32 + 32 * 64 * 9 + 2 * 64 + 64 * 128 * 9 + 2 * 128 + 128 * 3 * 3 * 128 + 2 * 128;
        Assert.Equal(240_608, expected);
        Assert.Equal(expected, new SmallConvNet().parameters().Sum(p => p.numel()));
        // width 8, 3 channels, 24 features: 3·8·9 + 16 + 8·16·9 + 32 + 16·32·9 + 64 + 32·9·24 + 48.
        Assert.Equal(3 * 8 * 9 + 16 + 8 * 16 * 9 + 32 + 16 * 32 * 9 + 64 + 32 * 9 * 24 + 48,
            new SmallConvNet(3, featureDim: 24, width: 8).parameters().Sum(p => p.numel()));
    }

    [Theory]
    [InlineData(1, 28, ResNetStem.Cifar)]
    [InlineData(3, 32, ResNetStem.Cifar)]
    [InlineData(1, 28, ResNetStem.ImageNet)]
    [InlineData(3, 32, ResNetStem.ImageNet)]
    public void ResNet18ReturnsFeatures512ForBothStems(int channels, int size, ResNetStem stem)
    {
        using var scope = torch.NewDisposeScope();
        var net = ResNet.ResNet18(channels, stem);
        Assert.Equal(new long[] { 2, 512 }, net.call(Images(2, channels, size)).shape);
        Assert.Equal(512, net.FeatureDim);
    }

    [Fact]
    public void ResNet18CifarParameterCountMatchesTorchvisionWithoutFcAnd3x3Stem()
    {
        // torchvision resnet18: 11,689,512 parameters; minus fc (512*1000 + 1000 = 513,000) = 11,176,512;
        // 3x3 instead of 7x7 stem conv: minus 64*3*(49-9) = 7,680, giving 11,168,832. The same, layer by layer:
        static long Conv(long input, long output, long k) => input * output * k * k;
        static long Bn(long channels) => 2 * channels;
        static long Block(long input, long output) =>
            Conv(input, output, 3) + Bn(output) + Conv(output, output, 3) + Bn(output)
            + (input != output ? Conv(input, output, 1) + Bn(output) : 0);
        long stem = Conv(3, 64, 3) + Bn(64);                              // 1,856
        long layer1 = Block(64, 64) * 2;                                 // 147,968
        long layer2 = Block(64, 128) + Block(128, 128);                  // 525,568
        long layer3 = Block(128, 256) + Block(256, 256);                 // 2,099,712
        long layer4 = Block(256, 512) + Block(512, 512);                 // 8,393,728
        long expected = stem + layer1 + layer2 + layer3 + layer4;
        Assert.Equal(11_168_832, expected);

        var net = ResNet.ResNet18(3, ResNetStem.Cifar);
        Assert.Equal(expected, net.parameters().Sum(p => p.numel()));
        // torchvision's ImageNet stem: 11,176,512.
        Assert.Equal(11_176_512, ResNet.ResNet18(3, ResNetStem.ImageNet).parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void ConvolutionsAreKaimingFanOutAndBatchNormsIdentity()
    {
        var net = ResNet.ResNet18(3, ResNetStem.Cifar);
        var state = net.state_dict();
        // layer4.0.conv2: 512x512x3x3, fan_out = 512*9, so std = sqrt(2 / 4608) ≈ 0.02083 (2.4 M samples).
        var weights = state.Single(e => e.Key.EndsWith("layer4.0.conv2.weight")).Value;
        Assert.Equal(Math.Sqrt(2.0 / (512 * 9)), weights.std().item<float>(), 3);
        Assert.All(state.Where(e => e.Key.Contains("bn") && e.Key.EndsWith("weight")),
            e => Assert.True(e.Value.eq(1).all().item<bool>(), e.Key));
        Assert.All(state.Where(e => e.Key.Contains("bn") && e.Key.EndsWith("bias")),
            e => Assert.True(e.Value.eq(0).all().item<bool>(), e.Key));
    }

    [Fact]
    public void WrongChannelCountIsExplained()
    {
        var error = Assert.Throws<ArgumentException>(() => new SmallConvNet(3).call(torch.zeros(1, 1, 28, 28)));
        Assert.Contains("[batch, 3, height, width]", error.Message);
        Assert.Contains("at least 28x28", Assert.Throws<ArgumentException>(() => new SmallConvNet(1).call(torch.zeros(1, 1, 20, 20))).Message);
    }
}
