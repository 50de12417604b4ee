using static TorchSharp.torch;

namespace ContrastiveNotes.Data;

/// <summary>The one rule for image pixel types: uint8 images hold 0–255, float images hold [0, 1].</summary>
public static class ImageTensors
{
    /// <summary>
    /// Images as float32 in [0, 1]: uint8 <c>[..]</c> divided by 255, floating images converted to float32 unchanged.
    /// Returns a new tensor (or <paramref name="images"/> itself when it is already float32).
    /// </summary>
    public static Tensor ToUnitFloat(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        return images.dtype == ScalarType.Byte
            ? images.to_type(ScalarType.Float32).div_(255.0)
            : images.dtype == ScalarType.Float32 ? images : images.to_type(ScalarType.Float32);
    }
}
