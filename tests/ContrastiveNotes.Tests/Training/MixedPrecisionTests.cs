using ContrastiveNotes.Losses;
using ContrastiveNotes.Models;
using ContrastiveNotes.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Training;

public class MixedPrecisionTests
{
    /// <summary>1 + 2⁻¹⁰ has no bfloat16 representation (8 significand bits): it rounds to 1.</summary>
    private const double NotBFloat16 = 1 + 1.0 / 1024;

    [Fact]
    public void ALinearLayerInTheScopeComputesWithBFloat16WeightsAndReturnsFloat32()
    {
        using var scope = NewDisposeScope();
        var layer = nn.Linear(4, 1);
        using (no_grad())
        {
            layer.weight.fill_(NotBFloat16);
            layer.bias!.fill_(0.0);
        }
        var input = ones(2, 4);
        var mixed = new MixedPrecision(new[] { layer }, ScalarType.BFloat16);

        Tensor inside;
        using (mixed.Enter())
            inside = layer.call(input);
        var after = layer.call(input);

        // By hand: in bfloat16 each weight is 1, so 4 inputs of 1 give exactly 4; float32 keeps 4 · (1 + 2⁻¹⁰).
        Assert.Equal(ScalarType.Float32, inside.dtype);
        Assert.All(inside.data<float>().ToArray(), v => Assert.Equal(4f, v));
        Assert.All(after.data<float>().ToArray(), v => Assert.Equal((float)(4 * NotBFloat16), v, 6));
    }

    /// <summary>
    /// At random initialisation on noise images the contrastive gradient is a small difference of large terms, so
    /// rounding to bfloat16 moves it visibly: PyTorch 1.13's CPU autocast on this architecture and loss (same layer
    /// shapes, 64 uniform-noise images, τ = 0.5) gives a relative L2 error of 23 % and a cosine of 0.973 for the
    /// whole gradient. The tolerance is that reference's: cosine ≥ 0.97 and relative error ≤ 25 %.
    /// </summary>
    [Fact]
    public void GradientsOfConvNetAndNtXentInBFloat16AgreeWithFloat32AsCloselyAsPyTorchAutocast()
    {
        using var scope = NewDisposeScope();
        var (encoder, head) = SmallSimClr(seed: 3);
        var images = rand(new long[] { 64, 1, 28, 28 }, generator: new Generator(11));
        var loss = new NTXentLoss(0.5);
        var before = encoder.parameters().Concat(head.parameters()).ToArray();

        double lossFloat32 = LossAndGradients(encoder, head, loss, images, mixed: null);
        var float32Gradient = cat(before.Select(p => p.grad!.flatten()).ToArray()).clone();
        double lossBFloat16 = LossAndGradients(encoder, head, loss, images,
            new MixedPrecision(new nn.Module[] { encoder, head }, ScalarType.BFloat16));

        var after = encoder.parameters().Concat(head.parameters()).ToArray();
        Assert.Equal(before, after);
        Assert.All(after, p => Assert.Equal(ScalarType.Float32, p.grad!.dtype));
        var bfloat16Gradient = cat(after.Select(p => p.grad!.flatten()).ToArray());
        double relative = (bfloat16Gradient - float32Gradient).norm().item<float>() / float32Gradient.norm().item<float>();
        double cosine = nn.functional.cosine_similarity(bfloat16Gradient, float32Gradient, 0).item<float>();
        Assert.Equal(lossFloat32, lossBFloat16, 0.01);
        Assert.True(relative <= 0.25 && cosine >= 0.97, $"bf16 gradient: relative L2 error {relative:P1}, cosine {cosine:F4}.");
    }

    [Fact]
    public void ALinearLayersWeightGradientIsTheBFloat16SumOfItsInputsDeliveredInFloat32()
    {
        using var scope = NewDisposeScope();
        var layer = nn.Linear(3, 1, hasBias: false);
        var input = rand(new long[] { 50, 3 }, generator: new Generator(4)).add(1);
        var mixed = new MixedPrecision(new[] { layer }, ScalarType.BFloat16);

        Tensor output;
        using (mixed.Enter())
            output = layer.call(input);
        output.sum().backward();

        // d(sum W·x)/dW = Σ_batch x of the bfloat16-rounded inputs; at most one bfloat16 rounding (2⁻⁸ relative) apart.
        var rounded = input.to_type(ScalarType.BFloat16).to_type(ScalarType.Float64).sum(dim: 0).data<double>().ToArray();
        var gradient = layer.weight.grad!;
        Assert.Equal(ScalarType.Float32, gradient.dtype);
        var actual = gradient.to_type(ScalarType.Float64).flatten().data<double>().ToArray();
        for (int j = 0; j < 3; j++)
            Assert.True(Math.Abs(actual[j] - rounded[j]) <= rounded[j] / 256, $"column {j}: {actual[j]} vs {rounded[j]}");
        Assert.True(actual.Zip(input.sum(dim: 0).to_type(ScalarType.Float64).data<double>().ToArray()).Any(p => p.First != p.Second),
            "The gradient equals the float32 sum exactly: the layer did not compute in bfloat16.");
    }

    [Fact]
    public void ClosingTheScopePutsTheFloat32WeightsBackEvenWhenTheForwardPassThrows()
    {
        using var scope = NewDisposeScope();
        var (encoder, head) = SmallSimClr(seed: 5);
        encoder.eval();
        head.eval();
        var images = rand(new long[] { 4, 1, 28, 28 }, generator: new Generator(2));
        var parameters = encoder.parameters().Concat(head.parameters()).ToArray();
        var expected = head.call(encoder.call(images)).data<float>().ToArray();
        var mixed = new MixedPrecision(new nn.Module[] { encoder, head }, ScalarType.BFloat16);

        using (mixed.Enter())
            Assert.ThrowsAny<Exception>(() => encoder.call(rand(4, 1, 8, 8)));
        Assert.Equal(parameters, encoder.parameters().Concat(head.parameters()));
        Assert.All(parameters, p => Assert.Equal(ScalarType.Float32, p.dtype));
        Assert.Equal(expected, head.call(encoder.call(images)).data<float>().ToArray());
    }

    [Fact]
    public void AFrozenModuleComputesInBFloat16AndGetsNoGradient()
    {
        using var scope = NewDisposeScope();
        var frozen = nn.Linear(4, 3);
        foreach (var p in frozen.parameters())
            p.requires_grad = false;
        var trained = nn.Linear(3, 1);
        var mixed = new MixedPrecision(new nn.Module[] { frozen, trained }, ScalarType.BFloat16);

        Tensor output;
        using (mixed.Enter())
            output = trained.call(frozen.call(rand(5, 4)));
        output.sum().backward();

        Assert.Null(frozen.weight.grad);
        Assert.NotNull(trained.weight.grad);
        Assert.Equal(ScalarType.Float32, trained.weight.grad!.dtype);
    }

    [Fact]
    public void OnlyLowPrecisionComputeTypesAreAccepted()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new MixedPrecision(new[] { nn.Linear(1, 1) }, ScalarType.Float64));
        Assert.Contains("BFloat16 or Float16", error.Message);
    }

    private static (SmallConvNet Encoder, ProjectionHead Head) SmallSimClr(long seed)
    {
        torch.manual_seed(seed);
        var encoder = new SmallConvNet(1, featureDim: 32, width: 8);
        return (encoder, new ProjectionHead(32, 32, 16));
    }

    private static double LossAndGradients(nn.Module<Tensor, Tensor> encoder, nn.Module<Tensor, Tensor> head, NTXentLoss loss,
        Tensor images, MixedPrecision? mixed)
    {
        encoder.zero_grad();
        head.zero_grad();
        Tensor value;
        using (mixed?.Enter())
        {
            var projections = head.call(encoder.call(images));
            Assert.Equal(ScalarType.Float32, projections.dtype);
            value = loss.call(projections[..32], projections[32..]);
        }
        value.backward();
        return value.item<float>();
    }
}
