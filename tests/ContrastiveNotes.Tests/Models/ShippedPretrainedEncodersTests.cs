using ContrastiveNotes.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Models;

/// <summary>The encoders the repository ships in data/pretrained: every one loads (checksum checked) and computes features.</summary>
public class ShippedPretrainedEncodersTests
{
    [Fact]
    public void EveryShippedEncoderPassesItsChecksumAndProducesFiniteFeaturesOfItsListedWidth()
    {
        var manifest = PretrainedEncoders.Manifest();
        Assert.NotEmpty(manifest.Encoders);
        foreach (var entry in manifest.Encoders)
        {
            using var scope = NewDisposeScope();
            var encoder = PretrainedEncoders.Load(entry.Name);
            var features = encoder.call(rand(new long[] { 4, entry.InChannels, 28, 28 }, generator: new Generator(1)));
            Assert.Equal(new long[] { 4, entry.FeatureDim }, features.shape);
            Assert.True(features.isfinite().all().item<bool>(), $"{entry.Name}: non-finite features");
            Assert.Equal(60000, entry.Results.TrainCount);
            Assert.Equal(10000, entry.Results.TestCount);
            Assert.Equal(new[] { 100, 10 }, entry.Results.ScarceLabels.Select(s => s.PerClass));
        }
    }
}
