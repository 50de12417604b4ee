using ContrastiveNotes.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Models;

public class MomentumEncoderTests
{
    private static nn.Module<Tensor, Tensor> Network() =>
        nn.Sequential(("encoder", new SmallConvNet(1, featureDim: 8, width: 4)), ("head", new ProjectionHead(8, 8, 4)));

    private static Dictionary<string, float[]> Snapshot(nn.Module module) =>
        module.state_dict().ToDictionary(e => e.Key, e => e.Value.to_type(ScalarType.Float32).data<float>().ToArray());

    [Fact]
    public void StartsAsAFrozenCopy()
    {
        var online = Network();
        var momentum = new MomentumEncoder(online, Network);

        var copied = Snapshot(momentum.Network);
        foreach (var (name, values) in Snapshot(online))
            Assert.Equal(values, copied[name]);
        Assert.All(momentum.parameters(), p => Assert.False(p.requires_grad));
    }

    [Fact]
    public void UpdateAppliesTheEmaFormulaAndCopiesBuffers()
    {
        var online = Network();
        var momentum = new MomentumEncoder(online, Network);
        // Make the two differ: one training step's worth of change on the online side, and new BN statistics.
        using (torch.no_grad())
            foreach (var p in online.parameters())
                p.add_(torch.randn(p.shape, generator: new torch.Generator(3)));
        online.train();
        online.call(torch.rand(4, 1, 28, 28));

        var before = Snapshot(momentum.Network);
        var onlineValues = Snapshot(online);
        const double m = 0.9;
        momentum.Update(online, m);
        var after = Snapshot(momentum.Network);

        var parameterNames = online.named_parameters().Select(e => e.name).ToHashSet();
        foreach (var (name, values) in after)
            for (int i = 0; i < values.Length; i++)
            {
                double expected = parameterNames.Contains(name)
                    ? m * before[name][i] + (1 - m) * onlineValues[name][i]    // θ_k ← m θ_k + (1 − m) θ_q
                    : onlineValues[name][i];                                   // buffers copied
                Assert.True(Math.Abs(expected - values[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"{name}[{i}]: {values[i]} vs {expected}");
            }
        Assert.Contains(after.Keys, k => k.EndsWith("running_mean"));
    }

    [Fact]
    public void GradientsNeverFlowIntoTheCopy()
    {
        var online = Network();
        var momentum = new MomentumEncoder(online, Network);
        var output = momentum.call(torch.rand(2, 1, 28, 28));
        Assert.False(output.requires_grad);

        (online.call(torch.rand(2, 1, 28, 28)).sum() + output.sum()).backward();
        Assert.All(momentum.parameters(), p => Assert.Null(p.grad));
        Assert.All(online.parameters(), p => Assert.NotNull(p.grad));
    }

    [Fact]
    public void AFactoryForAnotherArchitectureIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new MomentumEncoder(Network(), () => new SmallConvNet(1, featureDim: 8, width: 4)));
        Assert.Contains("'encoder.body.block1.conv.weight' [4, 1, 3, 3] Float32 is in the online network but not in the copy", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MomentumEncoder(Network(), Network).Update(Network(), 1.5));
    }
}
