using ContrastiveNotes.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Models;

public class HeadTests
{
    [Fact]
    public void SimClrHeadIsLinearReluLinearTo128()
    {
        var head = ProjectionHead.SimClr(16);
        // Linear(16,16) = 16*16 + 16; Linear(16,128) = 16*128 + 128.
        Assert.Equal(16 * 16 + 16 + 16 * 128 + 128, head.parameters().Sum(p => p.numel()));
        Assert.Equal(new long[] { 3, 128 }, head.call(torch.randn(3, 16)).shape);
        Assert.Equal(128, ProjectionHead.MoCoV2(32).OutDim);
        Assert.Equal(128, ProjectionHead.SupCon(32).OutDim);
    }

    [Fact]
    public void ConfigurableHeadHasTheRequestedDepthAndBatchNorm()
    {
        var head = new ProjectionHead(8, 12, 4, layers: 3, batchNorm: true);
        // Linear(8,12) no bias + BN(12) + Linear(12,12) no bias + BN(12) + Linear(12,4).
        Assert.Equal(8 * 12 + 24 + 12 * 12 + 24 + 12 * 4 + 4, head.parameters().Sum(p => p.numel()));
        Assert.Equal(new long[] { 5, 4 }, head.call(torch.randn(5, 8)).shape);
    }

    [Fact]
    public void SimSiamPredictorIsABottleneck()
    {
        var head = PredictionHead.SimSiam(16);
        // Linear(16,4) no bias + BN(4) + Linear(4,16).
        Assert.Equal(16 * 4 + 8 + 4 * 16 + 16, head.parameters().Sum(p => p.numel()));
        Assert.Equal(new long[] { 3, 16 }, head.call(torch.randn(3, 16)).shape);
        Assert.Equal(8, PredictionHead.Byol(8, hiddenDim: 32).OutDim);
    }

    [Fact]
    public void SimSiamProjectorStandardisesEveryOutputDimensionOverTheBatch()
    {
        var head = ProjectionHead.SimSiam(8, dim: 6, layers: 3);
        // Linear(8,6) no bias + BN(6) + Linear(6,6) no bias + BN(6) + Linear(6,6) no bias + BN(6) without affine.
        Assert.Equal(8 * 6 + 12 + 6 * 6 + 12 + 6 * 6, head.parameters().Sum(p => p.numel()));
        head.train();
        var z = head.call(torch.randn(new long[] { 64, 8 }, generator: new Generator(5)) * 7 + 3).to_type(ScalarType.Float64);
        // Training-mode BatchNorm without affine parameters: each dimension has batch mean 0 and (biased) variance 1.
        Assert.True(z.mean(new long[] { 0 }).abs().max().item<double>() < 1e-6);
        Assert.True((z.var(0, unbiased: false) - 1).abs().max().item<double>() < 1e-3);
    }

    [Fact]
    public void ByolProjectorIsLinearBatchNormReluLinear()
    {
        var head = ProjectionHead.Byol(8, hiddenDim: 16, outDim: 4);
        // Linear(8,16) no bias + BN(16) + Linear(16,4).
        Assert.Equal(8 * 16 + 32 + 16 * 4 + 4, head.parameters().Sum(p => p.numel()));
        Assert.Equal(new long[] { 3, 4 }, head.call(torch.randn(3, 8)).shape);
    }
}
