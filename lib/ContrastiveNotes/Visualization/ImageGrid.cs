using ContrastiveNotes.Data;
using System.Globalization;
using System.Net;
using System.Text;
using ContrastiveNotes.Interactive;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Visualization;

/// <summary>
/// A grid of images from a tensor, encoded once as a PNG and shown inline in a notebook with optional row and column
/// labels (e.g. one row per image: the original and its augmented views). Small images (28 px Fashion-MNIST) are
/// enlarged by an integer <c>scale</c> with nearest-neighbour repetition so pixels stay sharp.
/// </summary>
[TypeFormatterSource(typeof(HtmlFormatterSource<ImageGrid>))]
public sealed class ImageGrid : IHtmlDisplay
{
    private ImageGrid(byte[] png, int width, int height, int rows, int columns, int channels, int cellWidth, int cellHeight,
        IReadOnlyList<string>? rowLabels, IReadOnlyList<string>? columnLabels)
    {
        Png = png; Width = width; Height = height; Rows = rows; Columns = columns; Channels = channels;
        CellWidth = cellWidth; CellHeight = cellHeight; RowLabels = rowLabels; ColumnLabels = columnLabels;
    }

    /// <summary>The encoded PNG (8-bit grey or RGB).</summary>
    public byte[] Png { get; }

    /// <summary>Width of the PNG in pixels.</summary>
    public int Width { get; }

    /// <summary>Height of the PNG in pixels.</summary>
    public int Height { get; }

    /// <summary>Number of image rows.</summary>
    public int Rows { get; }

    /// <summary>Number of image columns.</summary>
    public int Columns { get; }

    /// <summary>1 (grey) or 3 (RGB).</summary>
    public int Channels { get; }

    /// <summary>Width in PNG pixels of one cell (image plus padding, scaled).</summary>
    public int CellWidth { get; }

    /// <summary>Height in PNG pixels of one cell (image plus padding, scaled).</summary>
    public int CellHeight { get; }

    /// <summary>Labels shown left of each row, if any.</summary>
    public IReadOnlyList<string>? RowLabels { get; }

    /// <summary>Labels shown above each column, if any.</summary>
    public IReadOnlyList<string>? ColumnLabels { get; }

    /// <summary>
    /// Lays out <paramref name="images"/> <c>[count, channels, height, width]</c> (uint8 in [0, 255] or float in [0, 1];
    /// 1 or 3 channels) row by row, <paramref name="columns"/> per row; empty cells at the end are white.
    /// </summary>
    /// <param name="images">Images <c>[count, channels, height, width]</c>.</param>
    /// <param name="columns">Images per row.</param>
    /// <param name="scale">Integer enlargement (e.g. 3 for 28 px images).</param>
    /// <param name="rowLabels">Optional labels, one per row.</param>
    /// <param name="columnLabels">Optional labels, one per column.</param>
    /// <param name="padding">White border in source pixels around every image.</param>
    public static ImageGrid FromImages(Tensor images, int columns = 8, int scale = 1, IReadOnlyList<string>? rowLabels = null, IReadOnlyList<string>? columnLabels = null, int padding = 1)
    {
        ValidateImages(images, nameof(images));
        if (columns < 1) throw new ArgumentOutOfRangeException(nameof(columns), columns, "Expected at least one column.");
        if (scale < 1 || scale > 16) throw new ArgumentOutOfRangeException(nameof(scale), scale, "Expected an integer scale in 1..16.");
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), padding, "Expected padding >= 0.");
        int count = (int)images.shape[0];
        int rows = (count + columns - 1) / columns;
        CheckLabels(rowLabels, rows, "rowLabels", "rows");
        CheckLabels(columnLabels, columns, "columnLabels", "columns");

        using var scope = torch.NewDisposeScope();
        var canvas = Compose(images, rows, columns, scale, padding);
        int height = (int)canvas.shape[0], width = (int)canvas.shape[1], channels = (int)canvas.shape[2];
        byte[] png = EncodePng(canvas.data<byte>().ToArray(), width, height, channels);
        return new ImageGrid(png, width, height, rows, columns, channels, width / columns, height / rows, rowLabels, columnLabels);
    }

    /// <summary>
    /// One row per image: the original followed by each of its views, e.g. the outputs of
    /// <c>MultiView.Make</c>; columns are labelled "original", "view 1", ...
    /// </summary>
    /// <param name="originals">Images <c>[count, channels, height, width]</c>.</param>
    /// <param name="views">Views, each <c>[count, channels, height, width]</c> like <paramref name="originals"/>.</param>
    /// <param name="scale">Integer enlargement.</param>
    /// <param name="rowLabels">Optional labels, one per image (e.g. class names).</param>
    public static ImageGrid FromViews(Tensor originals, IReadOnlyList<Tensor> views, int scale = 1, IReadOnlyList<string>? rowLabels = null)
    {
        ValidateImages(originals, nameof(originals));
        ArgumentNullException.ThrowIfNull(views);
        using var scope = torch.NewDisposeScope();
        var all = new List<Tensor> { ToUnitFloat(originals) };
        foreach (var view in views)
        {
            ValidateImages(view, nameof(views));
            if (!view.shape.SequenceEqual(originals.shape))
                throw new ArgumentException($"Expected every view shaped like the originals {Shapes.Format(originals)}, found {Shapes.Format(view)}.", nameof(views));
            all.Add(ToUnitFloat(view).to(originals.device));
        }
        var interleaved = torch.stack(all, 1).flatten(0, 1);
        var labels = new[] { "original" }.Concat(Enumerable.Range(1, views.Count).Select(i => $"view {i}")).ToArray();
        return FromImages(interleaved, all.Count, scale, rowLabels, labels);
    }

    /// <summary>The PNG as a <c>data:</c> URI.</summary>
    public string ToDataUri() => "data:image/png;base64," + Convert.ToBase64String(Png);

    /// <summary>HTML: a table whose header cells and row cells line up with the grid's cells around one <c>img</c>.</summary>
    public string ToHtml()
    {
        var html = new StringBuilder();
        html.Append("<table class=\"contrastive-image-grid\" style=\"border-collapse:collapse;border-spacing:0;width:auto\">");
        if (ColumnLabels is not null)
        {
            html.Append("<tr>");
            if (RowLabels is not null) html.Append("<th style=\"padding:0\"></th>");
            foreach (var label in ColumnLabels)
                html.Append(CultureInfo.InvariantCulture, $"<th style=\"padding:0 0 2px 0;width:{CellWidth}px;min-width:{CellWidth}px;max-width:{CellWidth}px;text-align:center;font-weight:normal;font-size:11px;overflow:hidden\">{WebUtility.HtmlEncode(label)}</th>");
            html.Append("</tr>");
        }
        for (int row = 0; row < Rows; row++)
        {
            html.Append("<tr>");
            if (RowLabels is not null)
                html.Append(CultureInfo.InvariantCulture, $"<th style=\"padding:0 6px 0 0;height:{CellHeight}px;text-align:right;font-weight:normal;font-size:11px;white-space:nowrap\">{WebUtility.HtmlEncode(RowLabels[row])}</th>");
            if (row == 0)
                html.Append(CultureInfo.InvariantCulture, $"<td rowspan=\"{Rows}\" colspan=\"{Columns}\" style=\"padding:0;line-height:0\"><img src=\"{ToDataUri()}\" width=\"{Width}\" height=\"{Height}\" style=\"image-rendering:pixelated;max-width:none\" alt=\"{ToString()}\"/></td>");
            html.Append("</tr>");
        }
        html.Append("</table>");
        return html.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => $"ImageGrid {Rows}×{Columns} ({Width}×{Height} px, {(Channels == 1 ? "grey" : "RGB")})";

    /// <summary>[rows·cellHeight, columns·cellWidth, channels] uint8 canvas, built with tensor ops only.</summary>
    private static Tensor Compose(Tensor images, int rows, int columns, int scale, int padding)
    {
        var unit = ToUnitFloat(images).cpu();
        long count = unit.shape[0], channels = unit.shape[1];
        var padded = nn.functional.pad(unit, new long[] { padding, padding, padding, padding }, PaddingModes.Constant, 1.0);
        long missing = (long)rows * columns - count;
        if (missing > 0)
            padded = torch.cat(new[] { padded, torch.ones(missing, channels, padded.shape[2], padded.shape[3]) }, 0);
        long cellHeight = padded.shape[2], cellWidth = padded.shape[3];
        var canvas = padded.reshape(rows, columns, channels, cellHeight, cellWidth)
            .permute(0, 3, 1, 4, 2)
            .reshape(rows * cellHeight, columns * cellWidth, channels);
        if (scale > 1) canvas = canvas.repeat_interleave(scale, 0).repeat_interleave(scale, 1);
        return canvas.mul(255).round().clamp(0, 255).to_type(ScalarType.Byte).contiguous();
    }

    private static Tensor ToUnitFloat(Tensor images) =>
        images.dtype == ScalarType.Byte ? ImageTensors.ToUnitFloat(images) : images.to_type(ScalarType.Float32).clamp(0, 1);

    private static byte[] EncodePng(byte[] pixels, int width, int height, int channels)
    {
        using var stream = new MemoryStream();
        if (channels == 1)
        {
            using var grey = Image.LoadPixelData<L8>(pixels, width, height);
            grey.SaveAsPng(stream);
        }
        else
        {
            using var rgb = Image.LoadPixelData<Rgb24>(pixels, width, height);
            rgb.SaveAsPng(stream);
        }
        return stream.ToArray();
    }

    private static void ValidateImages(Tensor images, string name)
    {
        ArgumentNullException.ThrowIfNull(images, name);
        if (images.dim() != 4 || images.shape[0] < 1)
            throw new ArgumentException($"Expected images [count, channels, height, width] with count >= 1, found {Shapes.Format(images)}. Use unsqueeze(1) to add a channel dimension.", name);
        if (images.shape[1] != 1 && images.shape[1] != 3)
            throw new ArgumentException($"Expected 1 (grey) or 3 (RGB) channels, found {images.shape[1]}.", name);
        if (images.dtype != ScalarType.Byte && !torch.is_floating_point(images))
            throw new ArgumentException($"Expected uint8 images in [0, 255] or float images in [0, 1], found {images.dtype}.", name);
    }

    private static void CheckLabels(IReadOnlyList<string>? labels, int expected, string name, string what)
    {
        if (labels is not null && labels.Count != expected)
            throw new ArgumentException($"Expected {expected} {name} (one per grid {what[..^1]}), found {labels.Count}.", name);
    }
}
