using static TorchSharp.torch;

namespace ContrastiveNotes.Augmentations;

/// <summary>
/// Makes several independently augmented views of the same batch, the input of contrastive losses
/// (two views for SimCLR / MoCo, more for multi-crop methods).
/// </summary>
public static class MultiView
{
    /// <summary>Returns <paramref name="views"/> tensors, each <paramref name="augmentation"/> applied to <paramref name="images"/> with fresh random parameters.</summary>
    public static Tensor[] Make(IBatchAugmentation augmentation, Tensor images, int views, Generator generator)
    {
        if (views < 1) throw new ArgumentOutOfRangeException(nameof(views), $"views must be at least 1 (2 for SimCLR), but it is {views}.");
        return Enumerable.Range(0, views).Select(_ => augmentation.Apply(images, generator)).ToArray();
    }
}
