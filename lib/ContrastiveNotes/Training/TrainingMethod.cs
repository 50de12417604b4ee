using ContrastiveNotes.Data;
using ContrastiveNotes.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ContrastiveNotes.Training;

/// <summary>
/// Base class of the course's training methods: keeps the module list, derives trainable parameters, mode
/// switching and device moves from it, and has no state besides the modules unless a method overrides it.
/// A method implements <see cref="ComputeLoss"/> (and overrides <see cref="Step"/> only when it has a follow-up
/// after the optimizer step).
/// </summary>
public abstract class TrainingMethod : ITrainingMethod
{
    private readonly nn.Module[] _trainable;
    private readonly nn.Module[] _all;

    /// <summary>Registers the modules the optimizer trains and the ones it only carries along (e.g. a momentum encoder).</summary>
    protected TrainingMethod(IEnumerable<nn.Module> trainable, IEnumerable<nn.Module>? frozen = null)
    {
        _trainable = trainable.ToArray();
        _all = _trainable.Concat(frozen ?? Array.Empty<nn.Module>()).ToArray();
    }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public IReadOnlyList<nn.Module> Modules => _all;

    /// <inheritdoc />
    public IEnumerable<(string Name, Parameter Parameter)> TrainableParameters =>
        _trainable.SelectMany((module, i) => module.named_parameters().Select(p => ($"{i}.{p.name}", p.parameter)))
            .Where(p => p.parameter.requires_grad);

    /// <summary>The scalar loss of one batch (see <see cref="Step"/>); computing it changes no state of the method.</summary>
    /// <param name="images">float32 <c>[batch, channels, height, width]</c> in [0, 1], on the method's device.</param>
    /// <param name="labels">int64 <c>[batch]</c> (ignored by self-supervised methods).</param>
    /// <param name="generator">Seeded generator on the images' device.</param>
    public abstract Tensor ComputeLoss(Tensor images, Tensor labels, Generator generator);

    /// <inheritdoc />
    public virtual TrainingStep Step(Tensor images, Tensor labels, Generator generator) => new(ComputeLoss(images, labels, generator));

    /// <inheritdoc />
    public virtual void SetTrainingMode(bool training)
    {
        foreach (var module in _all)
            module.train(training);
    }

    /// <inheritdoc />
    public virtual void MoveTo(Device device)
    {
        foreach (var module in _all)
            module.to(device);
    }

    /// <inheritdoc />
    public virtual IReadOnlyDictionary<string, Tensor> State => new Dictionary<string, Tensor>();

    /// <inheritdoc />
    public virtual void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Count != 0)
            throw new InvalidDataException($"The checkpoint holds state {string.Join(", ", state.Keys)}, but {Name} has none. Was it written by another training method?");
    }

    /// <summary>
    /// Draws augmented views with autograd switched off: augmentation is data preparation, never part of the graph,
    /// so no backward state is recorded for its ops even when the images require gradients.
    /// </summary>
    protected static Tensor AugmentWithoutGradient(Func<Tensor, Generator, Tensor> augment, Tensor images, Generator generator)
    {
        using var noGrad = torch.no_grad();
        return augment(images, generator);
    }

    /// <summary>
    /// The two-view step shared by SimCLR and SupCon: draws two augmented views of every image (without gradient),
    /// sends all 2B views through encoder and head in ONE batch, so BatchNorm normalises both views together
    /// (Chen et al. 2020, arXiv:2002.05709, section 2.1), and splits the projections back into the two views.
    /// </summary>
    /// <param name="encoder">Images <c>[2B, C, H, W]</c> → features <c>[2B, F]</c>.</param>
    /// <param name="head">Features <c>[2B, F]</c> → projections <c>[2B, D]</c>.</param>
    /// <param name="augment">Random augmentation of a batch, drawn from <paramref name="generator"/>.</param>
    /// <param name="images">Float images <c>[B, C, H, W]</c>.</param>
    /// <param name="generator">Source of the augmentations' randomness.</param>
    /// <returns>Projections of the first and of the second views, each <c>[B, D]</c>; row i of both comes from image i.</returns>
    protected static (Tensor First, Tensor Second) ProjectTwoViews(nn.Module<Tensor, Tensor> encoder, nn.Module<Tensor, Tensor> head,
        Func<Tensor, Generator, Tensor> augment, Tensor images, Generator generator)
    {
        var views = torch.cat(new[] { AugmentWithoutGradient(augment, images, generator), AugmentWithoutGradient(augment, images, generator) }, 0);
        var projections = head.call(encoder.call(views)).chunk(2, 0);
        return (projections[0], projections[1]);
    }

    /// <summary>
    /// The online network and its momentum copy that MoCo (query / key encoder) and BYOL (online / target network)
    /// are built from: the encoder, <c>Sequential(encoder, head)</c>, and a <see cref="MomentumEncoder"/> of that made
    /// from a second call of both factories.
    /// </summary>
    /// <param name="createEncoder">Builds the encoder (images <c>[B, C, H, W]</c> → features <c>[B, F]</c>).</param>
    /// <param name="createHead">Builds the head on top (features → projections).</param>
    protected static (nn.Module<Tensor, Tensor> Encoder, nn.Module<Tensor, Tensor> Online, MomentumEncoder Copy) OnlineWithMomentumCopy(
        Func<nn.Module<Tensor, Tensor>> createEncoder, Func<nn.Module<Tensor, Tensor>> createHead)
    {
        ArgumentNullException.ThrowIfNull(createEncoder);
        ArgumentNullException.ThrowIfNull(createHead);
        var encoder = createEncoder();
        var online = nn.Sequential(encoder, createHead());
        return (encoder, online, new MomentumEncoder(online, () => nn.Sequential(createEncoder(), createHead())));
    }

    /// <summary>
    /// The frame of the methods' accuracy evaluations: runs <paramref name="countBatch"/> on <paramref name="images"/> in
    /// batches, each in its own dispose scope, with every module in eval mode and autograd off, and restores the training
    /// mode the method was in (that of its first module).
    /// </summary>
    /// <param name="images">Images <c>[N, C, H, W]</c>, uint8 in [0, 255] (converted to float32 / 255 per batch) or float in [0, 1].</param>
    /// <param name="device">Device the modules live on; each batch is moved there.</param>
    /// <param name="batchSize">Images per forward pass.</param>
    /// <param name="countBatch">Given a float batch on <paramref name="device"/> and the index of its first image, the
    /// number of correct predictions and of predictions made.</param>
    /// <returns>Correct over all predictions, 0 when there are none.</returns>
    protected double BatchedAccuracy(Tensor images, Device device, int batchSize, Func<Tensor, long, (long Correct, long Total)> countBatch)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Expected a batch size of at least 1.");
        bool wasTraining = _all[0].training;
        SetTrainingMode(false);
        try
        {
            using var noGrad = torch.no_grad();
            long correct = 0, total = 0;
            for (long start = 0; start < images.shape[0]; start += batchSize)
            {
                using var scope = torch.NewDisposeScope();
                var batch = images.narrow(0, start, Math.Min(batchSize, images.shape[0] - start)).to(device);
                if (!torch.is_floating_point(batch)) batch = ImageTensors.ToUnitFloat(batch);
                var (batchCorrect, batchTotal) = countBatch(batch, start);
                correct += batchCorrect;
                total += batchTotal;
            }
            return total == 0 ? 0 : (double)correct / total;
        }
        finally
        {
            SetTrainingMode(wasTraining);
        }
    }

    /// <summary>Checks that <paramref name="images"/> is a float batch <c>[B, C, H, W]</c> with at least two images.</summary>
    protected static void RequireImageBatch(Tensor images, string method, int minimumBatch = 2)
    {
        if (images.dim() != 4 || !torch.is_floating_point(images) || images.shape[0] < minimumBatch)
            throw new ArgumentException(
                $"{method} expects float images [batch, channels, height, width] with batch ≥ {minimumBatch}, but got {images.dtype} {Shapes.Format(images)}. " +
                "Convert uint8 images with images.to(float32) / 255 and use batches of several images.", nameof(images));
    }
}
