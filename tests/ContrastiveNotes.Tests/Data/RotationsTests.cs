using ContrastiveNotes.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Data;

public class RotationsTests
{
    /// <summary>Counter-clockwise quarter turn written with loops: out[i, j] = in[j, n − 1 − i].</summary>
    private static float[,] QuarterTurn(float[,] image)
    {
        int n = image.GetLength(0);
        var result = new float[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                result[i, j] = image[j, n - 1 - i];
        return result;
    }

    private static float[,] Plane(Tensor images, long index, long channel)
    {
        long n = images.shape[2];
        var values = images[index, channel].to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        var plane = new float[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                plane[i, j] = values[i * n + j];
        return plane;
    }

    [Fact]
    public void QuarterTurnOfASmallImageMatchesTheHandComputedResult()
    {
        using var image = arange(9, dtype: ScalarType.Float32).view(1, 1, 3, 3);
        var (rotated, _) = Rotations.RotateAll(image);
        // [[0,1,2],[3,4,5],[6,7,8]] turned 90° counter-clockwise is [[2,5,8],[1,4,7],[0,3,6]].
        Assert.Equal(new float[] { 2, 5, 8, 1, 4, 7, 0, 3, 6 }, rotated[1, 0].contiguous().data<float>().ToArray());
        Assert.Equal(new float[] { 8, 7, 6, 5, 4, 3, 2, 1, 0 }, rotated[2, 0].contiguous().data<float>().ToArray());
    }

    [Fact]
    public void EachBlockIsTheImageTurnedKQuarterTurnsAndLabelsAreK()
    {
        using var generator = new Generator(7, CPU);
        using var images = rand(new long[] { 3, 2, 5, 5 }, generator: generator);
        var (rotated, labels) = Rotations.RotateAll(images);

        Assert.Equal(new long[] { 12, 2, 5, 5 }, rotated.shape);
        Assert.Equal(ScalarType.Int64, labels.dtype);
        Assert.Equal(new long[] { 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3 }, labels.data<long>().ToArray());
        for (int b = 0; b < 3; b++)
            for (int c = 0; c < 2; c++)
            {
                var expected = Plane(images, b, c);
                for (int k = 0; k < 4; k++)
                {
                    Assert.Equal(expected, Plane(rotated, k * 3 + b, c));
                    expected = QuarterTurn(expected);
                }
                Assert.Equal(Plane(images, b, c), expected); // four quarter turns are the identity
            }
    }

    [Fact]
    public void FourQuarterTurnsThroughTheHelperGiveTheOriginalBack()
    {
        using var generator = new Generator(11, CPU);
        using var images = randint(0, 256, new long[] { 2, 1, 4, 4 }, dtype: ScalarType.Byte, generator: generator);
        var current = images;
        for (int turn = 0; turn < 4; turn++)
            current = Rotations.RotateAll(current).Images.narrow(0, 2, 2); // the 90° block
        Assert.Equal(ScalarType.Byte, current.dtype);
        Assert.Equal(images.data<byte>().ToArray(), current.data<byte>().ToArray());
    }

    [Theory]
    [InlineData(new long[] { 2, 1, 4, 5 })]
    [InlineData(new long[] { 1, 4, 4 })]
    public void NonSquareOrNonBatchInputIsRejectedWithAnExplanation(long[] shape)
    {
        using var images = zeros(shape);
        var error = Assert.Throws<ArgumentException>(() => Rotations.RotateAll(images));
        Assert.Contains("square", error.Message);
    }
}
