using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Evaluation;

/// <summary>Small seeded feature sets for the evaluation tests.</summary>
internal static class SyntheticFeatures
{
    /// <summary>Gaussian clusters around well-separated random centres: [classes*perClass, dim] features and labels.</summary>
    public static (Tensor Features, Tensor Labels) Clusters(int classes, int perClass, int dim, double noise, long seed)
    {
        using var g = new Generator((ulong)seed);
        var centres = torch.randn(new long[] { classes, dim }, generator: g).mul(3);
        var labels = torch.arange(classes, dtype: ScalarType.Int64).repeat_interleave(perClass);
        var features = centres.index_select(0, labels).add(torch.randn(new long[] { classes * perClass, dim }, generator: g).mul(noise));
        return (features, labels);
    }

    public static Tensor RandomLabels(long count, int classes, long seed)
    {
        using var g = new Generator((ulong)seed);
        return torch.randint(0, classes, new long[] { count }, generator: g, dtype: ScalarType.Int64);
    }
}
