using System.Text.RegularExpressions;
using ContrastiveNotes.Visualization;
using StbImageSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Visualization;

public class ImageGridTests
{
    private static ImageResult DecodePng(byte[] png) => ImageResult.FromMemory(png, StbImageSharp.ColorComponents.Default);

    [Fact]
    public void GreyUInt8ImagesRoundTripThroughThePngPixelForPixel()
    {
        // Two 2x3 grey images, no padding, 2 columns, scale 2: canvas 4 x 12.
        var values = Enumerable.Range(0, 12).Select(i => (byte)(i * 20)).ToArray();
        var images = torch.tensor(values).reshape(2, 1, 2, 3);
        var grid = ImageGrid.FromImages(images, columns: 2, scale: 2, padding: 0);
        var decoded = DecodePng(grid.Png);

        Assert.Equal((12, 4, StbImageSharp.ColorComponents.Grey), (decoded.Width, decoded.Height, decoded.Comp));
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 12; x++)
            {
                int image = x / 6, col = x % 6 / 2, row = y / 2;
                Assert.Equal(values[image * 6 + row * 3 + col], decoded.Data[y * 12 + x]);
            }
    }

    [Fact]
    public void FloatRgbImagesArePaddedWhiteAndScaledTo255()
    {
        // One 1x1 RGB pixel (0.5, 0, 1) with 1 px white padding in a 2-column grid (second cell empty = white).
        var image = torch.tensor(new float[] { 0.5f, 0f, 1f }).reshape(1, 3, 1, 1);
        var grid = ImageGrid.FromImages(image, columns: 2, padding: 1);
        var decoded = DecodePng(grid.Png);
        Assert.Equal((6, 3, StbImageSharp.ColorComponents.RedGreenBlue), (decoded.Width, decoded.Height, decoded.Comp));
        int centre = (1 * 6 + 1) * 3;
        Assert.Equal(new byte[] { 128, 0, 255 }, decoded.Data[centre..(centre + 3)]);
        Assert.Equal(new byte[] { 255, 255, 255 }, decoded.Data[0..3]);
        Assert.All(decoded.Data[(4 * 3)..(5 * 3)], b => Assert.Equal(255, b));
    }

    [Fact]
    public void ViewsMakeOneRowPerImageWithLabelledColumns()
    {
        var originals = torch.zeros(3, 1, 4, 4);
        var grid = ImageGrid.FromViews(originals, new[] { torch.ones(3, 1, 4, 4), torch.full(new long[] { 3, 1, 4, 4 }, 0.5f) }, scale: 3, rowLabels: new[] { "<shirt>", "bag", "shoe" });
        Assert.Equal((3, 3), (grid.Rows, grid.Columns));
        Assert.Equal(new[] { "original", "view 1", "view 2" }, grid.ColumnLabels);
        var decoded = DecodePng(grid.Png);
        Assert.Equal((3 * 6 * 3, 3 * 6 * 3), (decoded.Width, decoded.Height));
        // Row 0: original (black) in column 0, view 1 (white) in column 1: sample the centres.
        Assert.Equal(0, decoded.Data[9 * decoded.Width + 9]);
        Assert.Equal(255, decoded.Data[9 * decoded.Width + 18 + 9]);
        Assert.Equal(128, decoded.Data[9 * decoded.Width + 36 + 9]);

        string html = grid.ToHtml();
        Assert.Contains("&lt;shirt&gt;", html);
        Assert.Contains(">view 2</th>", html);
        var src = Regex.Match(html, "src=\"data:image/png;base64,([^\"]+)\"").Groups[1].Value;
        Assert.Equal(grid.Png, Convert.FromBase64String(src));
    }

    [Fact]
    public void BadInputIsRejectedWithAnExplanation()
    {
        Assert.Contains("1 (grey) or 3 (RGB)", Assert.Throws<ArgumentException>(() => ImageGrid.FromImages(torch.zeros(2, 2, 4, 4))).Message);
        Assert.Contains("[count, channels, height, width]", Assert.Throws<ArgumentException>(() => ImageGrid.FromImages(torch.zeros(2, 4, 4))).Message);
        Assert.Contains("Expected 1 rowLabels", Assert.Throws<ArgumentException>(() => ImageGrid.FromImages(torch.zeros(2, 1, 4, 4), columns: 2, rowLabels: new[] { "a", "b" })).Message);
    }
}
