using ContrastiveNotes.Losses;
using TorchSharp;
using static ContrastiveNotes.Tests.Losses.Reference;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Losses;

public class MoCoLossTests
{
    /// <summary>MoCo eq. 1 with loops: -log( e^{q·k+/τ} / (e^{q·k+/τ} + Σ_i e^{q·k_i/τ}) ), all vectors unit length.</summary>
    private static double ReferenceLoss(double[][] queries, double[][] keys, double[][] queue, double temperature)
    {
        double total = 0;
        for (int n = 0; n < queries.Length; n++)
        {
            double positive = Cosine(queries[n], keys[n]) / temperature;
            var all = new[] { positive }.Concat(queue.Select(k => Cosine(queries[n], k) / temperature));
            total += -positive + LogSumExp(all);
        }
        return total / queries.Length;
    }

    [Theory]
    [InlineData(3, 4, 7, 0.2, 1)]
    [InlineData(8, 16, 32, 0.07, 2)]
    [InlineData(1, 2, 1, 1.0, 3)]
    public void MatchesTheLoopReference(int n, int dim, int queueSize, double temperature, int seed)
    {
        var q = RandomMatrix(n, dim, seed);
        var k = RandomMatrix(n, dim, seed + 10);
        var queue = RandomMatrix(queueSize, dim, seed + 20);

        double library = Scalar(new MoCoLoss(temperature).call(ToTensor(q), ToTensor(k), ToTensor(queue)));

        Assert.Equal(ReferenceLoss(q, k, queue, temperature), library, 1e-9);
    }

    [Fact]
    public void SymmetricLossSumsBothDirections()
    {
        var q1 = RandomMatrix(4, 3, 51); var q2 = RandomMatrix(4, 3, 52);
        var k1 = RandomMatrix(4, 3, 53); var k2 = RandomMatrix(4, 3, 54);
        var queue = RandomMatrix(6, 3, 55);
        double expected = ReferenceLoss(q1, k2, queue, 0.2) + ReferenceLoss(q2, k1, queue, 0.2);

        double library = Scalar(new MoCoLoss().Symmetric(ToTensor(q1), ToTensor(q2), ToTensor(k1), ToTensor(k2), ToTensor(queue)));

        Assert.Equal(expected, library, 1e-9);
    }

    [Fact]
    public void GradientFlowsToQueriesOnlyAndMatchesFiniteDifferences()
    {
        var queries = RandomMatrix(3, 4, 61);
        var keys = ToTensor(RandomMatrix(3, 4, 62), requiresGrad: true);
        var queue = ToTensor(RandomMatrix(5, 4, 63), requiresGrad: true);
        var loss = new MoCoLoss(0.2);

        AssertGradientMatchesFiniteDifferences(queries, q => loss.call(q, keys, queue));
        Assert.Null(keys.grad);
        Assert.Null(queue.grad);
    }

    [Fact]
    public void QueueStartsWithReproducibleUnitKeys()
    {
        using var first = new MoCoQueue(dim: 4, size: 6, new torch.Generator(7));
        using var again = new MoCoQueue(dim: 4, size: 6, new torch.Generator(7));
        using var other = new MoCoQueue(dim: 4, size: 6, new torch.Generator(8));

        var keys = ToMatrix(first.Keys);
        Assert.Equal(6, keys.Length);
        Assert.All(keys, key => Assert.Equal(1.0, Norm(key), 1e-6));
        Assert.Equal(keys, ToMatrix(again.Keys));
        Assert.NotEqual(keys, ToMatrix(other.Keys));
    }

    [Fact]
    public void EnqueueWrapsAroundWhenTheBatchDoesNotDivideTheSize()
    {
        // Size 5, batches of 2 keys e_b (one-hot along dim b % 3, scaled so normalisation matters).
        using var queue = new MoCoQueue(dim: 3, size: 5, new torch.Generator(1));
        var initial = ToMatrix(queue.Keys);
        double[] Key(int b) => Enumerable.Range(0, 3).Select(d => d == b % 3 ? 2.0 * (b + 1) : 0.0).ToArray();
        double[] Unit(int b) => Enumerable.Range(0, 3).Select(d => d == b % 3 ? 1.0 : 0.0).ToArray();

        queue.Enqueue(ToTensor(new[] { Key(0), Key(1) }).to_type(ScalarType.Float32));   // rows 0, 1
        queue.Enqueue(ToTensor(new[] { Key(2), Key(3) }).to_type(ScalarType.Float32));   // rows 2, 3
        Assert.Equal(4, queue.Pointer);
        Assert.Equal(initial[4], ToMatrix(queue.Keys)[4]);                               // row 4 still initial
        queue.Enqueue(ToTensor(new[] { Key(4), Key(5) }).to_type(ScalarType.Float32));   // rows 4, then 0 (wrap)

        var keys = ToMatrix(queue.Keys);
        Assert.Equal(1, queue.Pointer);
        Assert.Equal(Unit(5), keys[0]);
        Assert.Equal(Unit(1), keys[1]);
        Assert.Equal(Unit(2), keys[2]);
        Assert.Equal(Unit(3), keys[3]);
        Assert.Equal(Unit(4), keys[4]);
    }

    [Fact]
    public void ABatchLargerThanTheQueueKeepsItsNewestKeys()
    {
        using var queue = new MoCoQueue(dim: 2, size: 3, new torch.Generator(1));
        queue.Enqueue(ToTensor(new[] { new[] { 1.0, 0 } }).to_type(ScalarType.Float32));  // pointer 1
        var batch = new[] { new[] { 0.0, 1 }, new[] { -1.0, 0 }, new[] { 0.0, -1 }, new[] { 1.0, 0 } };
        queue.Enqueue(ToTensor(batch).to_type(ScalarType.Float32));

        // 4 keys written from row 1 on: rows 1, 2, 0, 1; the last 3 survive: row 2 = batch[1], row 0 = batch[2], row 1 = batch[3].
        var keys = ToMatrix(queue.Keys);
        Assert.Equal(batch[2], keys[0]);
        Assert.Equal(batch[3], keys[1]);
        Assert.Equal(batch[1], keys[2]);
        Assert.Equal(2, queue.Pointer);
    }

    [Fact]
    public void RestoredQueueContinuesLikeTheSavedOne()
    {
        // The saved run: 3 enqueues into a queue of 5 leave the pointer at 1 (see the wrap-around test).
        using var saved = new MoCoQueue(dim: 2, size: 5, new torch.Generator(1));
        double[][] Batch(int b) => new[] { new[] { 1.0 + b, 0 }, new[] { 0, 1.0 + b } };
        for (int b = 0; b < 3; b++) saved.Enqueue(ToTensor(Batch(b)).to_type(ScalarType.Float32));
        Assert.Equal(1, saved.Pointer);

        // A fresh queue (other random keys, pointer 0) restored from the saved one, then both get the same batch.
        using var resumed = new MoCoQueue(dim: 2, size: 5, new torch.Generator(99));
        resumed.Restore(saved.Keys.to_type(ScalarType.Float64), saved.Pointer);
        Assert.Equal(1, resumed.Pointer);
        Assert.Equal(ToMatrix(saved.Keys), ToMatrix(resumed.Keys));
        var next = ToTensor(new[] { new[] { 3.0, 4 } }).to_type(ScalarType.Float32);
        saved.Enqueue(next);
        resumed.Enqueue(next);
        Assert.Equal(new[] { 0.6, 0.8 }, ToMatrix(resumed.Keys)[1].Select(v => Math.Round(v, 6)));   // row 1 = the unit key
        Assert.Equal(ToMatrix(saved.Keys), ToMatrix(resumed.Keys));
        Assert.Equal(saved.Pointer, resumed.Pointer);
    }

    [Fact]
    public void RestoreRejectsAnotherShapeOrAnImpossiblePointer()
    {
        using var queue = new MoCoQueue(dim: 4, size: 8, new torch.Generator(1));
        var shape = Assert.Throws<ArgumentException>(() => queue.Restore(torch.zeros(8, 3), 0));
        Assert.Contains("[8, 4]", shape.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => queue.Restore(torch.zeros(8, 4), 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => queue.Restore(torch.zeros(8, 4), -1));
        Assert.Equal(0, queue.Pointer);
    }

    [Fact]
    public void RejectsMismatchedDimensions()
    {
        using var queue = new MoCoQueue(dim: 4, size: 8, new torch.Generator(1));
        var enqueue = Assert.Throws<ArgumentException>(() => queue.Enqueue(torch.zeros(2, 3)));
        Assert.Contains("4 columns", enqueue.Message);
        var loss = Assert.Throws<ArgumentException>(() => new MoCoLoss().call(torch.zeros(2, 3), torch.zeros(2, 3), queue.Keys));
        Assert.Contains("projection dimension 3", loss.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MoCoQueue(dim: 4, size: 0, new torch.Generator(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MoCoLoss(-0.1));
    }
}
