using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Training;

/// <summary>
/// The shape the supervised baseline and rotation prediction share: an encoder, a classifier head, an optional
/// augmentation (drawn without gradient) and cross-entropy on the targets of a task. The task turns a batch of
/// (augmented) images and their labels into the classifier's inputs and targets: the labels themselves for the
/// supervised baseline, the four rotations and their indices for rotation prediction.
/// </summary>
public abstract class ClassificationMethod : TrainingMethod
{
    private readonly nn.Module<Tensor, Tensor> _encoder;
    private readonly nn.Module<Tensor, Tensor> _classifier;
    private readonly Func<Tensor, Generator, Tensor>? _augment;

    /// <summary>Composes the method.</summary>
    /// <param name="encoder">Images <c>[B, C, H, W]</c> → features <c>[B, F]</c>.</param>
    /// <param name="classifier">Features <c>[B, F]</c> → logits <c>[B, classes]</c>.</param>
    /// <param name="augment">Optional random augmentation of each batch; null uses the images as they are.</param>
    protected ClassificationMethod(nn.Module<Tensor, Tensor> encoder, nn.Module<Tensor, Tensor> classifier, Func<Tensor, Generator, Tensor>? augment)
        : base(new nn.Module[] { encoder ?? throw new ArgumentNullException(nameof(encoder)), classifier ?? throw new ArgumentNullException(nameof(classifier)) })
    {
        _encoder = encoder;
        _classifier = classifier;
        _augment = augment;
    }

    /// <summary>The encoder being trained.</summary>
    public nn.Module<Tensor, Tensor> Encoder => _encoder;

    /// <summary>Logits <c>[B, classes]</c> for float images <c>[B, C, H, W]</c>.</summary>
    public Tensor Predict(Tensor images) => _classifier.call(_encoder.call(images));

    /// <inheritdoc />
    public sealed override Tensor ComputeLoss(Tensor images, Tensor labels, Generator generator)
    {
        RequireImageBatch(images, Name, minimumBatch: 1);
        var views = _augment is null ? images : AugmentWithoutGradient(_augment, images, generator);
        var (inputs, targets) = Task(views, labels);
        return nn.functional.cross_entropy(Predict(inputs), targets);
    }

    /// <summary>The classifier's inputs <c>[M, C, H, W]</c> and int64 targets <c>[M]</c> for a batch of views and their labels.</summary>
    protected abstract (Tensor Inputs, Tensor Targets) Task(Tensor views, Tensor labels);
}
