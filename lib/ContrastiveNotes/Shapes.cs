using static TorchSharp.torch;

namespace ContrastiveNotes;

/// <summary>The one way the library writes a tensor's shape in messages: <c>[2, 3, 28, 28]</c>.</summary>
public static class Shapes
{
    /// <summary>The shape of <paramref name="tensor"/> as <c>[d0, d1, ...]</c> (<c>[]</c> for a scalar).</summary>
    public static string Format(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return Format(tensor.shape);
    }

    /// <summary>A shape as <c>[d0, d1, ...]</c>.</summary>
    public static string Format(long[] shape) => "[" + string.Join(", ", shape) + "]";
}
