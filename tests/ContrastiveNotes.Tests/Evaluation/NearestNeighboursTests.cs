using ContrastiveNotes.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Evaluation;

/// <summary>Nearest-neighbour search, precision@k, novelty scores and AUROC against direct computations.</summary>
public class NearestNeighboursTests
{
    [Fact]
    public void SearchFindsTheMostSimilarRowsByCosineAcrossChunks()
    {
        var g = new Generator(3);
        var bank = torch.randn(new long[] { 40, 5 }, generator: g);
        var queries = torch.randn(new long[] { 9, 5 }, generator: g);

        var (indices, similarities) = NearestNeighbours.Search(bank, queries, k: 3, chunkSize: 4);

        var b = bank.data<float>().ToArray();
        var q = queries.data<float>().ToArray();
        for (int i = 0; i < 9; i++)
        {
            // Cosines by hand, sorted descending.
            var cosines = Enumerable.Range(0, 40).Select(j =>
            {
                double dot = 0, nq = 0, nb = 0;
                for (int d = 0; d < 5; d++) { dot += q[i * 5 + d] * b[j * 5 + d]; nq += q[i * 5 + d] * q[i * 5 + d]; nb += b[j * 5 + d] * b[j * 5 + d]; }
                return (Index: j, Cosine: dot / Math.Sqrt(nq * nb));
            }).OrderByDescending(x => x.Cosine).Take(3).ToArray();
            Assert.Equal(cosines.Select(c => (long)c.Index), indices[i].data<long>().ToArray());
            Assert.All(Enumerable.Range(0, 3), r => Assert.Equal(cosines[r].Cosine, similarities[i, r].item<float>(), 5));
        }
    }

    [Fact]
    public void PrecisionAtKCountsNeighboursWithTheQuerysLabel()
    {
        // Bank on the unit circle at 0°, 10°, 90°, 100°; labels 0, 0, 1, 1. Query at 5° (label 0) and at 95° (label 0).
        double[] angles = { 0, 10, 90, 100 };
        var bank = torch.tensor(angles.SelectMany(a => new[] { (float)Math.Cos(a * Math.PI / 180), (float)Math.Sin(a * Math.PI / 180) }).ToArray(), new long[] { 4, 2 });
        var bankLabels = torch.tensor(new long[] { 0, 0, 1, 1 });
        var queries = torch.tensor(new[] { (float)Math.Cos(5 * Math.PI / 180), (float)Math.Sin(5 * Math.PI / 180), (float)Math.Cos(95 * Math.PI / 180), (float)Math.Sin(95 * Math.PI / 180) }, new long[] { 2, 2 });
        var queryLabels = torch.tensor(new long[] { 0, 0 });

        // k = 2: first query's neighbours are both class 0 (2/2), the second's both class 1 (0/2): (1 + 0) / 2.
        Assert.Equal(0.5, NearestNeighbours.PrecisionAtK(bank, bankLabels, queries, queryLabels, k: 2), 12);
        // k = 3: 2/3 and 1/3.
        Assert.Equal(0.5, NearestNeighbours.PrecisionAtK(bank, bankLabels, queries, queryLabels, k: 3), 12);
        Assert.Equal(1.0, NearestNeighbours.PrecisionAtK(bank, bankLabels, queries, torch.tensor(new long[] { 0, 1 }), k: 2), 12);
    }

    [Fact]
    public void NoveltyIsOneMinusTheMeanCosineOfTheNearestRows()
    {
        var bank = torch.tensor(new float[] { 1, 0, 0, 1 }, new long[] { 2, 2 });
        var queries = torch.tensor(new float[] { 2, 0, 1, 1, -1, 0 }, new long[] { 3, 2 });

        var k1 = NearestNeighbours.NoveltyScores(bank, queries, k: 1).data<double>().ToArray();
        var k2 = NearestNeighbours.NoveltyScores(bank, queries, k: 2).data<double>().ToArray();

        double s = Math.Sqrt(0.5);
        Assert.Equal(new[] { 0.0, Math.Round(1 - s, 6), 1.0 }, k1.Select(v => Math.Round(v, 6)).ToArray());
        // k = 2: (1 + 0) / 2 -> 0.5; (s + s) / 2 -> 1 - s; (0 + -1) / 2 -> 1.5.
        Assert.Equal(new[] { 0.5, Math.Round(1 - s, 6), 1.5 }, k2.Select(v => Math.Round(v, 6)).ToArray());
    }

    [Fact]
    public void AurocIsTheShareOfPositiveNegativePairsOrderedRightWithTiesAsHalf()
    {
        var scores = torch.tensor(new double[] { 0.9, 0.4, 0.4, 0.1, 0.7, 0.4 });
        var positive = torch.tensor(new[] { true, true, false, false, false, false });

        // Pairs by hand: positive 0.9 beats all 4 negatives; positive 0.4 beats 0.1, ties 0.4 twice (2 x 0.5), loses to 0.7.
        double expected = (4 + 1 + 0.5 + 0.5) / (2.0 * 4);
        Assert.Equal(expected, NearestNeighbours.Auroc(scores, positive), 12);
        Assert.Equal(1 - expected, NearestNeighbours.Auroc(scores.neg(), positive), 12);
        Assert.Throws<ArgumentException>(() => NearestNeighbours.Auroc(scores, torch.zeros(6, dtype: ScalarType.Bool)));
    }

    [Fact]
    public void ImpossibleArgumentsAreRefused()
    {
        var bank = torch.randn(4, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => NearestNeighbours.Search(bank, torch.randn(2, 3), k: 5));
        Assert.Throws<ArgumentException>(() => NearestNeighbours.Search(bank, torch.randn(2, 4), k: 1));
    }
}
