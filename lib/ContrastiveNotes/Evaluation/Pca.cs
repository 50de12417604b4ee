using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Evaluation;

/// <summary>
/// Principal component analysis by SVD of the centred data, for 2-D plots of embeddings. Signs are fixed so that the
/// largest-magnitude loading of every component is positive, which makes plots reproducible.
/// </summary>
public static class Pca
{
    /// <summary>Projects <paramref name="features"/> <c>[count, dim]</c> onto its top principal directions.</summary>
    /// <param name="features">Data <c>[count, dim]</c>, count &gt;= 2.</param>
    /// <param name="components">Number of directions to keep (2 for a scatter plot).</param>
    public static PcaProjection Project(Tensor features, int components = 2)
    {
        ShapeChecks.Features(features, nameof(features));
        long maxComponents = Math.Min(features.shape[0], features.shape[1]);
        if (components < 1 || components > maxComponents)
            throw new ArgumentOutOfRangeException(nameof(components), components, $"Expected 1..{maxComponents} components for data {Shapes.Format(features)}.");

        using var scope = torch.NewDisposeScope();
        var x = features.to_type(ScalarType.Float32);
        var centred = x.sub(x.mean(new long[] { 0 }, keepdim: true));
        var (_, singular, vh) = torch.linalg.svd(centred, fullMatrices: false);
        var directions = vh.narrow(0, 0, components);
        var largest = directions.abs().argmax(1, keepdim: true);
        var signs = directions.gather(1, largest).sign();
        directions = directions.mul(signs);
        var variance = singular.pow(2).to_type(ScalarType.Float64);
        var ratio = variance.narrow(0, 0, components).div(variance.sum()).data<double>().ToArray();
        var points = centred.mm(directions.t());
        return new PcaProjection(points.MoveToOuterDisposeScope(), directions.MoveToOuterDisposeScope(), ratio);
    }
}
