using ContrastiveNotes.Data;
using ContrastiveNotes.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Training;

/// <summary>
/// Self-supervised rotation prediction (Gidaris, Singh and Komodakis 2018, arXiv:1803.07728): each batch is expanded
/// to its four rotations (<see cref="Rotations.RotateAll"/>) and the encoder plus a linear head learn to tell which
/// rotation was applied, with cross-entropy over the four classes. The class labels of the data are never used.
/// </summary>
public sealed class RotationPredictionMethod : ClassificationMethod
{
    /// <summary>Creates the method with a linear head <c>nn.Linear(encoder.FeatureDim, 4)</c>.</summary>
    /// <param name="encoder">Images <c>[B, C, H, W]</c> → features <c>[B, FeatureDim]</c>.</param>
    /// <param name="augment">Optional random augmentation applied to each batch before rotating; null uses the images as they are.</param>
    public RotationPredictionMethod(Encoder encoder, Func<Tensor, Generator, Tensor>? augment = null)
        : this(encoder, nn.Linear((encoder ?? throw new ArgumentNullException(nameof(encoder))).FeatureDim, Rotations.Count), augment)
    {
    }

    /// <summary>Creates the method with any rotation head.</summary>
    /// <param name="encoder">Images <c>[B, C, H, W]</c> → features <c>[B, F]</c>.</param>
    /// <param name="head">Features <c>[B, F]</c> → rotation logits <c>[B, 4]</c>.</param>
    /// <param name="augment">Optional random augmentation applied to each batch before rotating.</param>
    public RotationPredictionMethod(nn.Module<Tensor, Tensor> encoder, nn.Module<Tensor, Tensor> head, Func<Tensor, Generator, Tensor>? augment = null)
        : base(encoder, head, augment)
    {
    }

    /// <inheritdoc />
    public override string Name => "RotationPrediction";

    /// <summary>The four rotations of every view and their indices (the data's labels are not used).</summary>
    protected override (Tensor Inputs, Tensor Targets) Task(Tensor views, Tensor labels) => Rotations.RotateAll(views);

    /// <summary>
    /// Fraction of correctly predicted rotations over all four rotations of <paramref name="images"/>, in eval mode
    /// without gradients (the modules' previous mode is restored). This is the pretext-task accuracy; chance is 0.25.
    /// </summary>
    /// <param name="images">Square images <c>[N, C, H, W]</c>, uint8 in [0, 255] or float in [0, 1], on any device.</param>
    /// <param name="device">Device the modules live on; batches are moved there.</param>
    /// <param name="batchSize">Images per forward pass (each becomes four).</param>
    public double PretextAccuracy(Tensor images, Device device, int batchSize = 256) =>
        BatchedAccuracy(images, device, batchSize, (batch, _) =>
        {
            var (rotated, labels) = Rotations.RotateAll(batch);
            return (Predict(rotated).argmax(1).eq(labels).sum().item<long>(), labels.shape[0]);
        });
}
