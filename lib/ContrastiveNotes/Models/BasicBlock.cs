using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ContrastiveNotes.Models;

/// <summary>
/// The two-convolution residual block of ResNet-18/34 (He et al. 2015, arXiv:1512.03385, Fig. 2):
/// <c>relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))</c>, with a 1x1 convolution + BN shortcut when the
/// stride or the channel count changes. Parameter names follow torchvision.
/// </summary>
internal sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential? downsample;

    public BasicBlock(int input, int output, int stride) : base(nameof(BasicBlock))
    {
        conv1 = nn.Conv2d(input, output, kernel_size: 3, stride: stride, padding: 1, bias: false);
        bn1 = nn.BatchNorm2d(output);
        conv2 = nn.Conv2d(output, output, kernel_size: 3, stride: 1, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(output);
        if (stride != 1 || input != output)
            downsample = nn.Sequential(
                nn.Conv2d(input, output, kernel_size: 1, stride: stride, bias: false),
                nn.BatchNorm2d(output));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        // As torchvision's block: the ReLUs and the residual addition work in place on BatchNorm outputs, which BatchNorm's
        // backward does not read. Intermediates are disposed on the way (autograd keeps what backward needs): held until
        // the training step's dispose scope ends, they would add about 1 GB to a ResNet-18 step on 2x128 CIFAR images.
        using var hidden = ConvBatchNorm(conv1, bn1, x).relu_();
        var output = ConvBatchNorm(conv2, bn2, hidden);
        using (var shortcut = downsample?.call(x))
            output.add_(shortcut ?? x);
        return output.relu_();
    }

    private static Tensor ConvBatchNorm(Conv2d conv, BatchNorm2d norm, Tensor x)
    {
        using var convolved = conv.call(x);
        return norm.call(convolved);
    }
}
