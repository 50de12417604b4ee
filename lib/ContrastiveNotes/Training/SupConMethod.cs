using ContrastiveNotes.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Training;

/// <summary>
/// Supervised contrastive learning (Khosla et al., 2020, arXiv:2004.11362): like SimCLR, two augmented views
/// per image, but every image of the same class is a positive, so the loss also takes the labels; the two views
/// reach <see cref="SupConLoss"/> stacked as <c>[B, 2, D]</c>.
/// </summary>
public sealed class SupConMethod : TwoViewMethod
{
    /// <summary>Composes SupCon from its parts.</summary>
    /// <param name="encoder">Images <c>[B, C, H, W]</c> → features <c>[B, F]</c>.</param>
    /// <param name="projectionHead">Features <c>[B, F]</c> → projections <c>[B, D]</c>.</param>
    /// <param name="augment">Random augmentation of a batch, on the images' device.</param>
    /// <param name="loss">The SupCon loss of the views <c>[B, 2, D]</c> and labels <c>[B]</c>.</param>
    public SupConMethod(nn.Module<Tensor, Tensor> encoder, nn.Module<Tensor, Tensor> projectionHead,
        Func<Tensor, Generator, Tensor> augment, SupConLoss loss)
        : base(encoder, projectionHead, augment, Stacked(loss ?? throw new ArgumentNullException(nameof(loss))))
    {
    }

    /// <summary>Composes SupCon with <see cref="SupConLoss"/> at temperature τ (its base temperature too).</summary>
    /// <param name="encoder">Images <c>[B, C, H, W]</c> → features <c>[B, F]</c>.</param>
    /// <param name="projectionHead">Features <c>[B, F]</c> → projections <c>[B, D]</c>.</param>
    /// <param name="augment">Random augmentation of a batch, on the images' device.</param>
    /// <param name="temperature">SupCon temperature τ (0.07 in the paper; 0.1 is more forgiving on small batches).</param>
    public SupConMethod(nn.Module<Tensor, Tensor> encoder, nn.Module<Tensor, Tensor> projectionHead,
        Func<Tensor, Generator, Tensor> augment, double temperature = 0.07)
        : this(encoder, projectionHead, augment, new SupConLoss(temperature, temperature))
    {
    }

    /// <inheritdoc />
    public override string Name => "SupCon";

    private static Func<Tensor, Tensor, Tensor, Tensor> Stacked(SupConLoss loss) =>
        (z1, z2, labels) => loss.call(stack(new[] { z1, z2 }, 1), labels);
}
