using ContrastiveNotes.Augmentations;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Augmentations;

/// <summary>The lerp-based per-image choice must pick whole images exactly, bit for bit, as <c>torch.where</c> does.</summary>
public class PerImageChoiceTests
{
    [Fact]
    public void PicksEachImageBitForBitLikeWhere()
    {
        using var scope = torch.NewDisposeScope();
        var generator = new Generator(11);
        // Values across many magnitudes, including 0, tiny, 1 and large ones, where a + 0 * (b - a) could round.
        var augmented = torch.rand(new long[] { 6, 3, 4, 4 }, generator: generator).pow(8).mul(1e6);
        var original = torch.rand(new long[] { 6, 3, 4, 4 }, generator: generator).pow(12);
        original[0, 0, 0, 0] = torch.tensor(1e-38f);
        original[1, 1, 1, 1] = torch.tensor(0f);
        augmented[2, 2, 2, 2] = torch.tensor(3.4e38f);
        var coin = torch.tensor(new[] { true, false, true, false, false, true }).view(6, 1, 1, 1);
        var chosen = PerImageChoice.Select(coin, augmented, original);
        var expected = torch.where(coin, augmented, original);
        Assert.Equal(expected.data<float>().ToArray(), chosen.data<float>().ToArray());
    }

    [Fact]
    public void AcceptsABroadcastAugmentedView()
    {
        using var scope = torch.NewDisposeScope();
        var original = torch.rand(new long[] { 2, 3, 2, 2 }, generator: new Generator(12));
        var gray = original.mean(new long[] { 1 }, keepdim: true).expand_as(original);
        var coin = torch.tensor(new[] { false, true }).view(2, 1, 1, 1);
        var chosen = PerImageChoice.Select(coin, gray, original);
        Assert.Equal(original[0].data<float>().ToArray(), chosen[0].data<float>().ToArray());
        Assert.Equal(gray[1].contiguous().data<float>().ToArray(), chosen[1].data<float>().ToArray());
    }
}
