using ContrastiveNotes.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Evaluation;

public class FeatureExtractorTests
{
    /// <summary>Returns the per-image mean pixel and records whether it ran in training mode and with gradients.</summary>
    private sealed class MeanEncoder : nn.Module<Tensor, Tensor>
    {
        public bool SawTraining { get; private set; }
        public bool SawGrad { get; private set; }
        public int Calls { get; private set; }
        public MeanEncoder() : base(nameof(MeanEncoder)) { }
        public override Tensor forward(Tensor input)
        {
            SawTraining |= training; SawGrad |= torch.is_grad_enabled(); Calls++;
            return input.flatten(1).mean(new long[] { 1 }, keepdim: true);
        }
    }

    [Fact]
    public void UInt8ImagesAreScaledBatchedAndEncodedInEvalModeWithoutGrad()
    {
        var images = torch.arange(5, dtype: ScalarType.Int64).mul(50).to_type(ScalarType.Byte).reshape(5, 1, 1, 1).expand(5, 1, 2, 2).contiguous();
        var encoder = new MeanEncoder();
        encoder.train();
        var features = FeatureExtractor.Extract(encoder, images, torch.CPU, batchSize: 2, normalize: x => x.mul(2));

        Assert.Equal(new long[] { 5, 1 }, features.shape);
        var values = features.data<float>().ToArray();
        for (int i = 0; i < 5; i++) Assert.Equal(2 * 50.0 * i / 255.0, values[i], 5);
        Assert.Equal(3, encoder.Calls);
        Assert.False(encoder.SawTraining);
        Assert.False(encoder.SawGrad);
        Assert.True(encoder.training, "the previous training mode must be restored");
    }

    [Fact]
    public void ImagesWithoutChannelDimensionAreRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => FeatureExtractor.Extract(new MeanEncoder(), torch.zeros(3, 28, 28), torch.CPU));
        Assert.Contains("[count, channels, height, width]", ex.Message);
    }
}
