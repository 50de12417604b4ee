using ContrastiveNotes.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Training;

/// <summary>
/// SimCLR (Chen et al., 2020, arXiv:2002.05709): two augmented views of every image go through the encoder and
/// the projection head (in one batch of 2B, so BatchNorm sees both views), and the NT-Xent loss pulls the two
/// projections of an image together and pushes the other 2B − 2 apart. Labels are ignored.
/// </summary>
public sealed class SimClrMethod : TwoViewMethod
{
    /// <summary>Composes SimCLR from its parts.</summary>
    /// <param name="encoder">Images <c>[B, C, H, W]</c> → features <c>[B, F]</c>.</param>
    /// <param name="projectionHead">Features <c>[B, F]</c> → projections <c>[B, D]</c>.</param>
    /// <param name="augment">Random augmentation of a batch (e.g. <c>AugmentationPresets.SimClr(28, 1).Apply</c>), on the images' device.</param>
    /// <param name="loss">The contrastive loss of two projection batches <c>[B, D]</c>, row i of each a positive pair (<see cref="NTXentLoss"/>).</param>
    public SimClrMethod(nn.Module<Tensor, Tensor> encoder, nn.Module<Tensor, Tensor> projectionHead,
        Func<Tensor, Generator, Tensor> augment, nn.Module<Tensor, Tensor, Tensor> loss)
        : base(encoder, projectionHead, augment, Pair(loss ?? throw new ArgumentNullException(nameof(loss))))
    {
    }

    /// <summary>Composes SimCLR with the NT-Xent loss (<see cref="NTXentLoss"/>) at temperature τ.</summary>
    /// <param name="encoder">Images <c>[B, C, H, W]</c> → features <c>[B, F]</c>.</param>
    /// <param name="projectionHead">Features <c>[B, F]</c> → projections <c>[B, D]</c>.</param>
    /// <param name="augment">Random augmentation of a batch, on the images' device.</param>
    /// <param name="temperature">NT-Xent temperature τ (SimCLR: 0.5 on CIFAR-10).</param>
    public SimClrMethod(nn.Module<Tensor, Tensor> encoder, nn.Module<Tensor, Tensor> projectionHead,
        Func<Tensor, Generator, Tensor> augment, double temperature = 0.5)
        : this(encoder, projectionHead, augment, new NTXentLoss(temperature))
    {
    }

    /// <inheritdoc />
    public override string Name => "SimCLR";

    private static Func<Tensor, Tensor, Tensor, Tensor> Pair(nn.Module<Tensor, Tensor, Tensor> loss) => (z1, z2, _) => loss.call(z1, z2);
}
