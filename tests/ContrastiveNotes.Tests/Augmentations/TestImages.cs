using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Augmentations;

/// <summary>Small image batches and plain-array views of them for hand computations.</summary>
internal static class TestImages
{
    /// <summary>Uniform random float32 images in [0, 1], from their own seeded generator.</summary>
    public static Tensor Random(long batch, long channels, long height, long width, ulong seed = 1)
    {
        using var generator = new Generator(seed);
        return torch.rand(new[] { batch, channels, height, width }, generator: generator);
    }

    /// <summary>The batch as nested double arrays [b][c][y][x].</summary>
    public static double[][][][] ToArray(Tensor images)
    {
        var flat = images.to(ScalarType.Float64).contiguous().data<double>().ToArray();
        long b = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3];
        return Enumerable.Range(0, (int)b).Select(n => Enumerable.Range(0, (int)c).Select(ch => Enumerable.Range(0, (int)h).Select(y =>
            Enumerable.Range(0, (int)w).Select(x => flat[((n * c + ch) * h + y) * w + x]).ToArray()).ToArray()).ToArray()).ToArray();
    }

    public static void AssertClose(double[][][][] expected, Tensor actual, double tolerance = 1e-5)
    {
        var got = ToArray(actual);
        Assert.Equal(expected.Length, got.Length);
        for (int n = 0; n < expected.Length; n++)
            for (int c = 0; c < expected[n].Length; c++)
                for (int y = 0; y < expected[n][c].Length; y++)
                    for (int x = 0; x < expected[n][c][y].Length; x++)
                        Assert.True(Math.Abs(expected[n][c][y][x] - got[n][c][y][x]) <= tolerance,
                            $"[{n},{c},{y},{x}]: expected {expected[n][c][y][x]}, got {got[n][c][y][x]}");
    }

    /// <summary>Applies <paramref name="f"/> to every pixel's channel vector.</summary>
    public static double[][][][] MapPixels(double[][][][] images, Func<int, double[], double[]> f)
    {
        var result = images.Select(img => img.Select(ch => ch.Select(row => new double[row.Length]).ToArray()).ToArray()).ToArray();
        for (int n = 0; n < images.Length; n++)
            for (int y = 0; y < images[n][0].Length; y++)
                for (int x = 0; x < images[n][0][0].Length; x++)
                {
                    var output = f(n, images[n].Select(ch => ch[y][x]).ToArray());
                    for (int c = 0; c < output.Length; c++) result[n][c][y][x] = output[c];
                }
        return result;
    }
}
