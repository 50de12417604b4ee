using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Training;

/// <summary>
/// The shape SimCLR and SupCon share: an encoder, a projection head, an augmentation that makes two views of every
/// image (both sent through encoder and head in ONE batch of 2B, so BatchNorm normalises them together; Chen et
/// al. 2020, arXiv:2002.05709, section 2.1) and a loss of the two projection batches. A method is these four parts
/// and a name; <see cref="SimClrMethod"/> and <see cref="SupConMethod"/> differ only in their loss.
/// </summary>
public abstract class TwoViewMethod : TrainingMethod
{
    private readonly nn.Module<Tensor, Tensor> _encoder;
    private readonly nn.Module<Tensor, Tensor> _head;
    private readonly Func<Tensor, Generator, Tensor> _augment;
    private readonly Func<Tensor, Tensor, Tensor, Tensor> _loss;

    /// <summary>Composes the method.</summary>
    /// <param name="encoder">Images <c>[B, C, H, W]</c> → features <c>[B, F]</c>.</param>
    /// <param name="projectionHead">Features <c>[B, F]</c> → projections <c>[B, D]</c>.</param>
    /// <param name="augment">Random augmentation of a batch, drawn from the generator, on the images' device (e.g. a preset's <c>Apply</c>).</param>
    /// <param name="loss">The loss of the first and second views' projections <c>[B, D]</c> (row i of both from image i) and the labels <c>[B]</c>.</param>
    protected TwoViewMethod(nn.Module<Tensor, Tensor> encoder, nn.Module<Tensor, Tensor> projectionHead,
        Func<Tensor, Generator, Tensor> augment, Func<Tensor, Tensor, Tensor, Tensor> loss)
        : base(new nn.Module[] { encoder ?? throw new ArgumentNullException(nameof(encoder)), projectionHead ?? throw new ArgumentNullException(nameof(projectionHead)) })
    {
        _encoder = encoder;
        _head = projectionHead;
        _augment = augment ?? throw new ArgumentNullException(nameof(augment));
        _loss = loss;
    }

    /// <summary>The encoder being trained (the part kept for downstream tasks).</summary>
    public nn.Module<Tensor, Tensor> Encoder => _encoder;

    /// <inheritdoc />
    public sealed override Tensor ComputeLoss(Tensor images, Tensor labels, Generator generator)
    {
        RequireImageBatch(images, Name);
        var (first, second) = ProjectTwoViews(_encoder, _head, _augment, images, generator);
        return _loss(first, second, labels);
    }
}
