using ContrastiveNotes.Augmentations;
using ContrastiveNotes.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Training;

/// <summary>
/// SimCLR (Chen et al., 2020, arXiv:2002.05709): two augmented views of every image go through the encoder and
/// the projection head (in one batch of 2B, so BatchNorm sees both views), and the NT-Xent loss pulls the two
/// projections of an image together and pushes the other 2B − 2 apart.
/// </summary>
public sealed class SimClrMethod : TrainingMethod
{
    private readonly nn.Module<Tensor, Tensor> _encoder;
    private readonly nn.Module<Tensor, Tensor> _head;
    private readonly Func<Tensor, Generator, Tensor> _augment;
    private readonly Func<Tensor, Tensor, Tensor> _loss;

    /// <summary>Creates the method from its parts.</summary>
    /// <param name="encoder">Images <c>[B, C, H, W]</c> → features <c>[B, F]</c>.</param>
    /// <param name="projectionHead">Features <c>[B, F]</c> → projections <c>[B, D]</c>.</param>
    /// <param name="augment">Random augmentation of a batch, drawn from the generator, on the images' device.</param>
    /// <param name="loss">Contrastive loss of two projection batches <c>[B, D]</c>, row i of each a positive pair (NT-Xent).</param>
    public SimClrMethod(nn.Module<Tensor, Tensor> encoder, nn.Module<Tensor, Tensor> projectionHead,
        Func<Tensor, Generator, Tensor> augment, Func<Tensor, Tensor, Tensor> loss)
        : base(new nn.Module[] { encoder, projectionHead })
    {
        _encoder = encoder;
        _head = projectionHead;
        _augment = augment;
        _loss = loss;
    }

    /// <summary>Creates the method with the NT-Xent loss (<see cref="NTXentLoss"/>) at temperature τ.</summary>
    /// <param name="encoder">Images <c>[B, C, H, W]</c> → features <c>[B, F]</c>.</param>
    /// <param name="projectionHead">Features <c>[B, F]</c> → projections <c>[B, D]</c>.</param>
    /// <param name="augment">Random augmentation of a batch (e.g. the SimCLR preset's Apply), on the images' device.</param>
    /// <param name="temperature">NT-Xent temperature τ (SimCLR: 0.5 on CIFAR-10).</param>
    public SimClrMethod(nn.Module<Tensor, Tensor> encoder, nn.Module<Tensor, Tensor> projectionHead,
        Func<Tensor, Generator, Tensor> augment, double temperature = 0.5)
        : this(encoder, projectionHead, augment, LossFunction(new NTXentLoss(temperature)))
    {
    }

    /// <summary>Creates the method with an augmentation pipeline (e.g. <c>AugmentationPresets.SimClr(28, 1)</c>) and NT-Xent.</summary>
    /// <param name="encoder">Images <c>[B, C, H, W]</c> → features <c>[B, F]</c>.</param>
    /// <param name="projectionHead">Features <c>[B, F]</c> → projections <c>[B, D]</c>.</param>
    /// <param name="augmentation">The pipeline that makes each of the two views.</param>
    /// <param name="temperature">NT-Xent temperature τ (SimCLR: 0.5 on CIFAR-10).</param>
    public SimClrMethod(nn.Module<Tensor, Tensor> encoder, nn.Module<Tensor, Tensor> projectionHead,
        IBatchAugmentation augmentation, double temperature = 0.5)
        : this(encoder, projectionHead, augmentation.Apply, temperature)
    {
    }

    private static Func<Tensor, Tensor, Tensor> LossFunction(NTXentLoss loss) => (z1, z2) => loss.call(z1, z2);

    /// <inheritdoc />
    public override string Name => "SimCLR";

    /// <summary>The encoder being pretrained (the part kept for downstream tasks).</summary>
    public nn.Module<Tensor, Tensor> Encoder => _encoder;

    /// <inheritdoc />
    public override Tensor ComputeLoss(Tensor images, Tensor labels, Generator generator)
    {
        RequireImageBatch(images, Name);
        var (first, second) = ProjectTwoViews(_encoder, _head, _augment, images, generator);
        return _loss(first, second);
    }
}
