using static TorchSharp.torch;

namespace ContrastiveNotes.Data;

/// <summary>
/// The known generative factors of <see cref="SyntheticShapes"/> images, one entry per image, so that
/// notebooks can ask which factors a representation keeps (shape) and which augmentations remove
/// (colour, position, size).
/// </summary>
/// <param name="Shape"><c>int64</c> <c>[count]</c>: index into <see cref="SyntheticShapes.ShapeNames"/> (also the label).</param>
/// <param name="Color"><c>int64</c> <c>[count]</c>: index into <see cref="SyntheticShapes.ColorNames"/>.</param>
/// <param name="Radius"><c>float32</c> <c>[count]</c>: half the shape's extent in pixels.</param>
/// <param name="CenterX"><c>float32</c> <c>[count]</c>: horizontal centre in pixels from the left edge.</param>
/// <param name="CenterY"><c>float32</c> <c>[count]</c>: vertical centre in pixels from the top edge.</param>
/// <param name="Background"><c>float32</c> <c>[count]</c>: background gray level in [0, 1].</param>
public sealed record ShapeFactors(Tensor Shape, Tensor Color, Tensor Radius, Tensor CenterX, Tensor CenterY, Tensor Background);
