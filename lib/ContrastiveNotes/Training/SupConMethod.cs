using ContrastiveNotes.Augmentations;
using ContrastiveNotes.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Training;

/// <summary>
/// Supervised contrastive learning (Khosla et al., 2020, arXiv:2004.11362): like SimCLR, two augmented views
/// per image, but every image of the same class is a positive, so the loss also takes the labels.
/// </summary>
public sealed class SupConMethod : TrainingMethod
{
    private readonly nn.Module<Tensor, Tensor> _encoder;
    private readonly nn.Module<Tensor, Tensor> _head;
    private readonly Func<Tensor, Generator, Tensor> _augment;
    private readonly Func<Tensor, Tensor, Tensor, Tensor> _loss;

    /// <summary>Creates the method from its parts.</summary>
    /// <param name="encoder">Images <c>[B, C, H, W]</c> → features <c>[B, F]</c>.</param>
    /// <param name="projectionHead">Features <c>[B, F]</c> → projections <c>[B, D]</c>.</param>
    /// <param name="augment">Random augmentation of a batch, drawn from the generator, on the images' device.</param>
    /// <param name="loss">SupCon loss of the two projection batches <c>[B, D]</c> and the labels <c>[B]</c>.</param>
    public SupConMethod(nn.Module<Tensor, Tensor> encoder, nn.Module<Tensor, Tensor> projectionHead,
        Func<Tensor, Generator, Tensor> augment, Func<Tensor, Tensor, Tensor, Tensor> loss)
        : base(new nn.Module[] { encoder, projectionHead })
    {
        _encoder = encoder;
        _head = projectionHead;
        _augment = augment;
        _loss = loss;
    }

    /// <summary>Creates the method with <see cref="SupConLoss"/> on the two views stacked as <c>[B, 2, D]</c>.</summary>
    /// <param name="encoder">Images <c>[B, C, H, W]</c> → features <c>[B, F]</c>.</param>
    /// <param name="projectionHead">Features <c>[B, F]</c> → projections <c>[B, D]</c>.</param>
    /// <param name="augment">Random augmentation of a batch, on the images' device.</param>
    /// <param name="temperature">SupCon temperature τ (0.07 in the paper; 0.1 is more forgiving on small batches).</param>
    public SupConMethod(nn.Module<Tensor, Tensor> encoder, nn.Module<Tensor, Tensor> projectionHead,
        Func<Tensor, Generator, Tensor> augment, double temperature = 0.07)
        : this(encoder, projectionHead, augment, LossFunction(new SupConLoss(temperature, temperature)))
    {
    }

    /// <summary>Creates the method with an augmentation pipeline (e.g. <c>AugmentationPresets.SimClr(32)</c>) and SupCon.</summary>
    /// <param name="encoder">Images <c>[B, C, H, W]</c> → features <c>[B, F]</c>.</param>
    /// <param name="projectionHead">Features <c>[B, F]</c> → projections <c>[B, D]</c>.</param>
    /// <param name="augmentation">The pipeline that makes each of the two views.</param>
    /// <param name="temperature">SupCon temperature τ.</param>
    public SupConMethod(nn.Module<Tensor, Tensor> encoder, nn.Module<Tensor, Tensor> projectionHead,
        IBatchAugmentation augmentation, double temperature = 0.07)
        : this(encoder, projectionHead, augmentation.Apply, temperature)
    {
    }

    private static Func<Tensor, Tensor, Tensor, Tensor> LossFunction(SupConLoss loss) =>
        (z1, z2, labels) => loss.call(stack(new[] { z1, z2 }, 1), labels);

    /// <inheritdoc />
    public override string Name => "SupCon";

    /// <summary>The encoder being trained.</summary>
    public nn.Module<Tensor, Tensor> Encoder => _encoder;

    /// <inheritdoc />
    public override Tensor ComputeLoss(Tensor images, Tensor labels, Generator generator)
    {
        RequireImageBatch(images, Name);
        var (first, second) = ProjectTwoViews(_encoder, _head, _augment, images, generator);
        return _loss(first, second, labels);
    }
}
