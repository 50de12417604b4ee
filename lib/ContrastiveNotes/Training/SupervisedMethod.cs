using ContrastiveNotes.Data;
using ContrastiveNotes.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Training;

/// <summary>
/// The supervised baseline the course compares self-supervised encoders with: encoder + linear classifier
/// trained end to end with cross-entropy, optionally on augmented images.
/// </summary>
public sealed class SupervisedMethod : ClassificationMethod
{
    /// <summary>Creates the method.</summary>
    /// <param name="encoder">Images <c>[B, C, H, W]</c> → features <c>[B, F]</c>.</param>
    /// <param name="classifier">Features <c>[B, F]</c> → class logits <c>[B, classes]</c> (e.g. <c>nn.Linear(F, classes)</c>).</param>
    /// <param name="augment">Optional random augmentation of each batch; null trains on the images as they are.</param>
    public SupervisedMethod(nn.Module<Tensor, Tensor> encoder, nn.Module<Tensor, Tensor> classifier,
        Func<Tensor, Generator, Tensor>? augment = null)
        : base(encoder, classifier, augment)
    {
    }

    /// <summary>Creates the method with a linear classifier <c>nn.Linear(encoder.FeatureDim, classes)</c>.</summary>
    /// <param name="encoder">The encoder to train.</param>
    /// <param name="classes">Number of classes (10 for Fashion-MNIST and CIFAR-10).</param>
    /// <param name="augment">Optional random augmentation of each batch.</param>
    public SupervisedMethod(Encoder encoder, int classes, Func<Tensor, Generator, Tensor>? augment = null)
        : this(encoder, nn.Linear(encoder.FeatureDim, classes >= 2 ? classes
            : throw new ArgumentOutOfRangeException(nameof(classes), classes, "A classifier needs at least 2 classes.")), augment)
    {
    }

    /// <inheritdoc />
    public override string Name => "Supervised";

    /// <summary>
    /// Top-1 accuracy of the classifier on <paramref name="data"/>: the fraction of images whose largest logit is their
    /// label. Runs in eval mode under <c>torch.no_grad()</c> and restores the previous training mode afterwards.
    /// </summary>
    /// <param name="data">Labelled uint8 images <c>[N, C, H, W]</c>, converted to float32 / 255 per batch as in training.</param>
    /// <param name="device">Device the encoder and classifier live on; each batch is moved there.</param>
    /// <param name="batchSize">Images per forward pass.</param>
    /// <returns>Accuracy in [0, 1].</returns>
    public double Accuracy(ImageDataset data, Device device, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0) throw new ArgumentException("Expected at least one labelled image, found an empty dataset.", nameof(data));
        return BatchedAccuracy(data.Images, device, batchSize, (batch, start) =>
        {
            var labels = data.Labels.narrow(0, start, batch.shape[0]).to(device);
            return (Predict(batch).argmax(1).eq(labels).sum().item<long>(), batch.shape[0]);
        });
    }

    /// <summary>The views with their class labels (checked: <see cref="ClassLabels.Require"/>).</summary>
    protected override (Tensor Inputs, Tensor Targets) Task(Tensor views, Tensor labels)
    {
        ClassLabels.Require(labels, views.shape[0], nameof(labels));
        return (views, ClassLabels.ToInt64(labels));
    }
}
