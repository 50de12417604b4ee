using ContrastiveNotes.Data;
using TorchSharp;

namespace ContrastiveNotes.Tests.Data;

public class SyntheticShapesTests
{
    private static readonly byte[][] Palette =
    {
        new byte[] { 255, 0, 0 }, new byte[] { 0, 255, 0 }, new byte[] { 0, 0, 255 },
        new byte[] { 255, 255, 0 }, new byte[] { 255, 0, 255 }, new byte[] { 0, 255, 255 },
    };

    [Fact]
    public void SameSeedSameImagesDifferentSeedDifferentImages()
    {
        using var a = SyntheticShapes.Generate(16, seed: 3);
        using var b = SyntheticShapes.Generate(16, seed: 3);
        using var c = SyntheticShapes.Generate(16, seed: 4);
        Assert.Equal(new long[] { 16, 3, 32, 32 }, a.Images.shape);
        Assert.Equal(a.Images.data<byte>().ToArray(), b.Images.data<byte>().ToArray());
        Assert.NotEqual(a.Images.data<byte>().ToArray(), c.Images.data<byte>().ToArray());
    }

    [Fact]
    public void FactorsDescribeEveryImage()
    {
        var (dataset, factors) = SyntheticShapes.GenerateWithFactors(40, seed: 11, size: 24);
        using (dataset)
        {
            Assert.Equal(dataset.Labels.data<long>().ToArray(), factors.Shape.data<long>().ToArray());
            long[] colors = factors.Color.data<long>().ToArray();
            float[] cx = factors.CenterX.data<float>().ToArray(), cy = factors.CenterY.data<float>().ToArray();
            float[] radius = factors.Radius.data<float>().ToArray(), background = factors.Background.data<float>().ToArray();
            for (int n = 0; n < 40; n++)
            {
                Assert.InRange(radius[n], 0.15f * 24 - 1e-4f, 0.35f * 24 + 1e-4f);
                // The pixel under the centre belongs to every shape: it has the shape's palette colour.
                int row = (int)cy[n], column = (int)cx[n];
                Assert.Equal(Palette[colors[n]], dataset.Images[n, .., row, column].data<byte>().ToArray());
                // A pixel farther than the radius in both axes (a corner of the bounding square) is never inside
                // circle, triangle or diamond; pick the farthest image corner, which is outside every shape.
                int cornerRow = cy[n] < 12 ? 23 : 0, cornerColumn = cx[n] < 12 ? 23 : 0;
                bool outsideSquare = Math.Abs(cornerRow + 0.5 - cy[n]) > radius[n] || Math.Abs(cornerColumn + 0.5 - cx[n]) > radius[n];
                if (outsideSquare)
                {
                    byte gray = (byte)Math.Round(background[n] * 255);
                    Assert.All(dataset.Images[n, .., cornerRow, cornerColumn].data<byte>().ToArray(), v => Assert.InRange(v, gray - 1, gray + 1));
                }
            }
        }
    }

    [Fact]
    public void AllShapesAppearInAModestSample()
    {
        using var dataset = SyntheticShapes.Generate(200, seed: 1);
        Assert.All(dataset.ClassCounts(), count => Assert.True(count > 20, $"count {count}"));
        Assert.Equal(SyntheticShapes.ShapeNames, dataset.ClassNames);
    }
}
