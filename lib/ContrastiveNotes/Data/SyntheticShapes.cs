using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Data;

/// <summary>
/// A small colour dataset generated from a seed in a few tensor operations: one filled shape (circle,
/// square, triangle or diamond; the label) per image, with a random colour from a fixed palette, a
/// random size and position, on a dark gray background. Useful for fast tests and for showing what
/// colour augmentations do, offline.
/// </summary>
public static class SyntheticShapes
{
    /// <summary>The shape names, indexed by label.</summary>
    public static IReadOnlyList<string> ShapeNames { get; } = new[] { "circle", "square", "triangle", "diamond" };

    /// <summary>The palette's colour names, indexed by <see cref="ShapeFactors.Color"/>.</summary>
    public static IReadOnlyList<string> ColorNames { get; } = new[] { "red", "green", "blue", "yellow", "magenta", "cyan" };

    private static readonly float[] Palette =
    {
        1, 0, 0, /**/ 0, 1, 0, /**/ 0, 0, 1, /**/ 1, 1, 0, /**/ 1, 0, 1, /**/ 0, 1, 1,
    };

    /// <summary>The palette colour <paramref name="color"/> (an index into <see cref="ColorNames"/>) as CSS, e.g. <c>#00ff00</c>.</summary>
    public static string CssColor(int color)
    {
        if (color < 0 || color >= ColorNames.Count)
            throw new ArgumentOutOfRangeException(nameof(color), color, $"Expected a colour index in [0, {ColorNames.Count}).");
        return "#" + string.Concat(Enumerable.Range(0, 3).Select(c => ((int)(Palette[3 * color + c] * 255)).ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>Generates <paramref name="count"/> RGB images <c>uint8</c> <c>[count, 3, size, size]</c>; labels are shapes.</summary>
    public static ImageDataset Generate(int count, long seed, int size = 32) => GenerateWithFactors(count, seed, size).Dataset;

    /// <summary>Like <see cref="Generate"/>, and also returns every image's factors.</summary>
    public static (ImageDataset Dataset, ShapeFactors Factors) GenerateWithFactors(int count, long seed, int size = 32)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), $"Count must be at least 1, but it is {count}.");
        if (size < 8) throw new ArgumentOutOfRangeException(nameof(size), $"Size must be at least 8 pixels so shapes are recognisable, but it is {size}.");
        using var generator = new Generator((ulong)seed);
        using var scope = torch.NewDisposeScope();
        var shape = torch.randint(0, ShapeNames.Count, new long[] { count }, generator: generator);
        var color = torch.randint(0, ColorNames.Count, new long[] { count }, generator: generator);
        var radius = (0.15f + 0.2f * torch.rand(count, generator: generator)) * size;
        var centerX = radius + torch.rand(count, generator: generator) * (size - 2 * radius);
        var centerY = radius + torch.rand(count, generator: generator) * (size - 2 * radius);
        var background = 0.25f * torch.rand(count, generator: generator);

        var x = (torch.arange(size, dtype: ScalarType.Float32) + 0.5f).view(1, 1, size);
        var y = (torch.arange(size, dtype: ScalarType.Float32) + 0.5f).view(1, size, 1);
        var dx = x - centerX.view(count, 1, 1);
        var dy = y - centerY.view(count, 1, 1);
        var r = radius.view(count, 1, 1);
        var circle = dx * dx + dy * dy <= r * r;
        var square = (dx.abs() <= r) & (dy.abs() <= r);
        var triangle = (dy >= -r) & (dy <= r) & (dx.abs() <= (dy + r) / 2);
        var diamond = dx.abs() + dy.abs() <= r;
        var masks = torch.stack(new[] { circle, square, triangle, diamond }, 1).to(ScalarType.Float32);
        var mask = masks.gather(1, shape.view(count, 1, 1, 1).expand(count, 1, size, size));

        var rgb = torch.tensor(Palette, new long[] { ColorNames.Count, 3 })[color].view(count, 3, 1, 1);
        var bg = background.view(count, 1, 1, 1);
        var images = (bg + mask * (rgb - bg)).mul(255).round().to(ScalarType.Byte);

        var dataset = new ImageDataset(images.MoveToOuterDisposeScope(), shape.clone().MoveToOuterDisposeScope(), ShapeNames,
            $"Synthetic shapes (seed {seed})");
        var factors = new ShapeFactors(shape.MoveToOuterDisposeScope(), color.MoveToOuterDisposeScope(), radius.MoveToOuterDisposeScope(),
            centerX.MoveToOuterDisposeScope(), centerY.MoveToOuterDisposeScope(), background.MoveToOuterDisposeScope());
        return (dataset, factors);
    }
}
