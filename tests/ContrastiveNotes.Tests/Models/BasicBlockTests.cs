using ContrastiveNotes.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Models;

public class BasicBlockTests
{
    [Theory]
    [InlineData(8, 8, 1)] // identity shortcut
    [InlineData(4, 8, 2)] // 1x1 convolution + BN shortcut
    public void TrainingForwardAndGradientsMatchTheResidualFormula(int input, int output, int stride)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(3);
        var block = new BasicBlock(input, output, stride);
        block.train();
        var images = torch.randn(new long[] { 4, input, 6, 6 }, generator: new Generator(5));
        var outputWeights = torch.randn(new long[] { 4, output, 6 / stride, 6 / stride }, generator: new Generator(6));

        var x = images.clone().requires_grad_();
        var y = block.call(x);
        (y * outputWeights).sum().backward();

        // He et al. 2015, Fig. 2 written out with functional operations on copies of the block's parameters.
        var copies = block.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone().requires_grad_());
        var xRef = images.clone().requires_grad_();
        Tensor Norm(Tensor t, string name) =>
            nn.functional.batch_norm(t, null, null, copies[$"{name}.weight"], copies[$"{name}.bias"], training: true, eps: 1e-5);
        var hidden = nn.functional.relu(Norm(nn.functional.conv2d(xRef, copies["conv1.weight"], strides: new long[] { stride, stride }, padding: new long[] { 1, 1 }), "bn1"));
        var residual = Norm(nn.functional.conv2d(hidden, copies["conv2.weight"], padding: new long[] { 1, 1 }), "bn2");
        var shortcut = copies.ContainsKey("downsample.0.weight")
            ? Norm(nn.functional.conv2d(xRef, copies["downsample.0.weight"], strides: new long[] { stride, stride }), "downsample.1")
            : xRef;
        var expected = nn.functional.relu(residual + shortcut);
        (expected * outputWeights).sum().backward();

        Assert.Equal(stride != 1 || input != output, copies.ContainsKey("downsample.0.weight"));
        Assert.True(y.allclose(expected, rtol: 1e-5, atol: 1e-5), "forward differs from relu(bn2(conv2(relu(bn1(conv1 x)))) + shortcut(x))");
        Assert.True(x.grad!.allclose(xRef.grad!, rtol: 1e-4, atol: 1e-5), "input gradient differs");
        foreach (var (name, parameter) in block.named_parameters())
            Assert.True(parameter.grad!.allclose(copies[name].grad!, rtol: 1e-4, atol: 1e-5), $"gradient of {name} differs");
    }

    [Fact]
    public void ResNetTrainingForwardLeavesOnlyItsFeaturesAliveAndStillBackpropagates()
    {
        // Intermediates (BN outputs before ReLU, the residual sums, stage outputs) must not wait for the end of the
        // training step's dispose scope: held, they cost ResNet-18 on 2x128 CIFAR images about 1 GB and page faults.
        var net = ResNet.ResNet18(3, ResNetStem.Cifar);
        net.train();
        using var images = torch.rand(new long[] { 2, 3, 32, 32 }, generator: new Generator(1));
        using var scope = torch.NewDisposeScope();
        var features = net.call(images);
        Assert.Equal(1, scope.DisposablesCount);
        features.pow(2).sum().backward();
        Assert.All(net.parameters(), p => Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0));
    }
}
