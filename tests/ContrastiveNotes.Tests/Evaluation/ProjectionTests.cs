using ContrastiveNotes.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Evaluation;

public class ProjectionTests
{
    [Fact]
    public void PcaRecoversTheDominantDirection()
    {
        // Points spread along u = (1, 2, 2)/3 with variance 100, small isotropic noise; shifted by an offset.
        using var g = new Generator(4);
        var t = torch.randn(new long[] { 300, 1 }, generator: g).mul(10);
        var u = torch.tensor(new float[] { 1, 2, 2 }).div(3);
        var x = t.mul(u).add(torch.randn(new long[] { 300, 3 }, generator: g).mul(0.1)).add(torch.tensor(new float[] { 5, -3, 7 }));
        var pca = Pca.Project(x, 2);

        var direction = pca.Components[0].data<float>().ToArray();
        double cosine = Math.Abs(direction[0] * 1 / 3.0 + direction[1] * 2 / 3.0 + direction[2] * 2 / 3.0);
        Assert.True(cosine > 0.999, $"top component {string.Join(",", direction)} should be ±(1,2,2)/3");
        Assert.True(pca.ExplainedVarianceRatio[0] > 0.99);
        Assert.Equal(new long[] { 300, 2 }, pca.Points.shape);
        Assert.Equal(0, pca.Points.mean().item<float>(), 3);
    }

    [Fact]
    public void TsneSeparatesThreeWellSeparatedClusters()
    {
        var (features, labels) = SyntheticFeatures.Clusters(3, 30, 10, 0.5, seed: 31);
        var y = Tsne.Embed(features, seed: 5, new TsneOptions(Perplexity: 10, Iterations: 400));
        Assert.Equal(new long[] { 90, 2 }, y.shape);

        // Every point's nearest embedded neighbour is of its own class, and cluster centroids are far apart
        // relative to the within-cluster spread.
        var points = y.data<float>().ToArray();
        var l = labels.data<long>().ToArray();
        for (int i = 0; i < 90; i++)
        {
            int nearest = -1; double best = double.MaxValue;
            for (int j = 0; j < 90; j++)
            {
                if (j == i) continue;
                double d = Math.Pow(points[2 * i] - points[2 * j], 2) + Math.Pow(points[2 * i + 1] - points[2 * j + 1], 2);
                if (d < best) { best = d; nearest = j; }
            }
            Assert.Equal(l[i], l[nearest]);
        }
        var centroids = Enumerable.Range(0, 3).Select(c => (
            X: Enumerable.Range(0, 90).Where(i => l[i] == c).Average(i => points[2 * i]),
            Y: Enumerable.Range(0, 90).Where(i => l[i] == c).Average(i => points[2 * i + 1]))).ToArray();
        double spread = Enumerable.Range(0, 90).Max(i => Math.Sqrt(Math.Pow(points[2 * i] - centroids[l[i]].X, 2) + Math.Pow(points[2 * i + 1] - centroids[l[i]].Y, 2)));
        for (int a = 0; a < 3; a++)
            for (int b = a + 1; b < 3; b++)
                Assert.True(Math.Sqrt(Math.Pow(centroids[a].X - centroids[b].X, 2) + Math.Pow(centroids[a].Y - centroids[b].Y, 2)) > 2 * spread);
    }

    [Fact]
    public void TsneRejectsAPerplexityAboveThePointCount()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Tsne.Embed(torch.zeros(10, 3), 1, new TsneOptions(Perplexity: 30)));
        Assert.Contains("perplexity", ex.Message);
    }
}
