using ContrastiveNotes.Augmentations;
using ContrastiveNotes.Losses;
using ContrastiveNotes.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Training;

/// <summary>
/// MoCo v2 (He et al., 2019, arXiv:1911.05722; Chen et al., 2020, arXiv:2003.04297): the query network
/// (encoder + projection head) embeds one augmented view, a momentum copy of it embeds the other view as the key,
/// and InfoNCE asks each query to find its key among the keys of a queue of past batches. After every optimizer
/// step the copy follows the query network by an exponential moving average and the batch's keys enter the queue.
/// </summary>
/// <remarks>
/// The queue (keys and write position) is part of the checkpoint. The paper's shuffling BN (section 3.3) is
/// emulated on one device with <see cref="BatchNormGroups"/> sub-batches.
/// </remarks>
public sealed class MoCoMethod : TrainingMethod
{
    private readonly nn.Module<Tensor, Tensor> _encoder;
    private readonly nn.Module<Tensor, Tensor> _query;
    private readonly MomentumEncoder _key;
    private readonly Func<Tensor, Generator, Tensor> _augment;
    private readonly MoCoLoss _loss;
    private readonly long _queueSeed;
    private MoCoQueue _queue;
    private readonly int _batchNormGroups = 1;

    /// <summary>Builds the query network and its momentum copy from the same factories.</summary>
    /// <param name="createEncoder">Builds an encoder, images <c>[B, C, H, W]</c> → features <c>[B, F]</c>; called twice.</param>
    /// <param name="createHead">Builds a projection head, <c>[B, F]</c> → <c>[B, projectionDim]</c>; called twice.</param>
    /// <param name="augment">Random augmentation of a batch (MoCo v2 preset), drawn from the generator.</param>
    /// <param name="projectionDim">Output size of the head, i.e. the key dimension of the queue (128 in MoCo).</param>
    /// <param name="queueSize">Number of negative keys K (65536 in the paper; a few thousand for small datasets).</param>
    /// <param name="temperature">InfoNCE temperature τ (0.2 in MoCo v2).</param>
    /// <param name="momentum">EMA momentum m of the key network (0.999 in MoCo; 0.99 suits short runs).</param>
    /// <param name="queueSeed">Seed of the queue's initial random keys.</param>
    public MoCoMethod(Func<nn.Module<Tensor, Tensor>> createEncoder, Func<nn.Module<Tensor, Tensor>> createHead,
        Func<Tensor, Generator, Tensor> augment, int projectionDim = 128, int queueSize = 4096, double temperature = 0.2,
        double momentum = 0.999, long queueSeed = 0)
        : this(OnlineWithMomentumCopy(createEncoder, createHead), augment, projectionDim, queueSize, temperature, momentum, queueSeed)
    {
    }

    /// <summary>Builds the method with an augmentation pipeline (e.g. <c>AugmentationPresets.MoCoV2(32)</c>).</summary>
    /// <param name="createEncoder">Builds an encoder, images <c>[B, C, H, W]</c> → features <c>[B, F]</c>; called twice.</param>
    /// <param name="createHead">Builds a projection head, <c>[B, F]</c> → <c>[B, projectionDim]</c>; called twice.</param>
    /// <param name="augmentation">The pipeline that makes the query view and the key view.</param>
    /// <param name="projectionDim">Output size of the head (the queue's key dimension).</param>
    /// <param name="queueSize">Number of negative keys K.</param>
    /// <param name="temperature">InfoNCE temperature τ (0.2 in MoCo v2).</param>
    /// <param name="momentum">EMA momentum m of the key network.</param>
    /// <param name="queueSeed">Seed of the queue's initial random keys.</param>
    public MoCoMethod(Func<nn.Module<Tensor, Tensor>> createEncoder, Func<nn.Module<Tensor, Tensor>> createHead,
        IBatchAugmentation augmentation, int projectionDim = 128, int queueSize = 4096, double temperature = 0.2,
        double momentum = 0.999, long queueSeed = 0)
        : this(createEncoder, createHead, augmentation.Apply, projectionDim, queueSize, temperature, momentum, queueSeed)
    {
    }

    private MoCoMethod((nn.Module<Tensor, Tensor> Encoder, nn.Module<Tensor, Tensor> Query, MomentumEncoder Key) parts,
        Func<Tensor, Generator, Tensor> augment, int projectionDim, int queueSize, double temperature, double momentum, long queueSeed)
        : base(new nn.Module[] { parts.Query }, new nn.Module[] { parts.Key })
    {
        if (!(momentum >= 0 && momentum <= 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "The key network's momentum must be in [0, 1] (MoCo: 0.999).");
        _encoder = parts.Encoder;
        _query = parts.Query;
        _key = parts.Key;
        _augment = augment;
        _loss = new MoCoLoss(temperature);
        _queueSeed = queueSeed;
        Momentum = momentum;
        _queue = NewQueue(projectionDim, queueSize, queueSeed, DeviceOf(_query));
    }

    /// <inheritdoc />
    public override string Name => "MoCo";

    /// <summary>The query encoder (the part kept for downstream tasks).</summary>
    public nn.Module<Tensor, Tensor> Encoder => _encoder;

    /// <summary>The queue of negative keys.</summary>
    public MoCoQueue Queue => _queue;

    /// <summary>EMA momentum of the key network.</summary>
    public double Momentum { get; }

    /// <summary>
    /// Shuffling BN on one device (<see cref="ShuffledBatchNorm"/>): the batch is encoded in this many sub-batches,
    /// keys after a random permutation, so a query and its key never share BatchNorm statistics. 1 (the default)
    /// encodes the whole batch at once. MoCo used 8 GPUs, i.e. 8 groups; each group needs at least two images.
    /// </summary>
    public int BatchNormGroups
    {
        get => _batchNormGroups;
        init => _batchNormGroups = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(BatchNormGroups), value, "Expected at least 1 group (1 = no shuffling BN; MoCo used 8).");
    }

    /// <inheritdoc />
    public override Tensor ComputeLoss(Tensor images, Tensor labels, Generator generator) => Step(images, labels, generator).Loss;

    /// <summary>
    /// The InfoNCE loss of the batch's queries against its keys and the queue; after the optimizer step, the key
    /// network moves toward the query network and this batch's keys are enqueued (only for a step the trainer took).
    /// </summary>
    public override TrainingStep Step(Tensor images, Tensor labels, Generator generator)
    {
        RequireImageBatch(images, Name);
        var queries = ShuffledBatchNorm.Forward(_query, AugmentWithoutGradient(_augment, images, generator), BatchNormGroups, shuffle: null);
        var keys = ShuffledBatchNorm.Forward(_key, AugmentWithoutGradient(_augment, images, generator), BatchNormGroups, shuffle: generator);
        return new TrainingStep(_loss.call(queries, keys, _queue.Keys), () =>
        {
            _key.Update(_query, Momentum);
            _queue.Enqueue(keys);
        });
    }

    /// <inheritdoc />
    public override void MoveTo(Device device)
    {
        base.MoveTo(device);
        if (_queue.Keys.device == device)
            return;
        var moved = NewQueue((int)_queue.Dim, (int)_queue.Size, _queueSeed, device);
        moved.Restore(_queue.Keys, _queue.Pointer);
        _queue.Dispose();
        _queue = moved;
    }

    /// <summary>The queue's keys <c>[K, D]</c> (<c>queue.keys</c>) and write position (<c>queue.pointer</c>, int64 scalar).</summary>
    public override IReadOnlyDictionary<string, Tensor> State => new Dictionary<string, Tensor>
    {
        ["queue.keys"] = _queue.Keys,
        ["queue.pointer"] = torch.tensor(_queue.Pointer),
    };

    /// <summary>Restores the queue from <see cref="State"/>'s entries.</summary>
    public override void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Count != 2 || !state.TryGetValue("queue.keys", out var keys) || !state.TryGetValue("queue.pointer", out var pointer))
            throw new InvalidDataException($"MoCo expects its queue (queue.keys, queue.pointer) in the checkpoint, but found {(state.Count == 0 ? "no state" : string.Join(", ", state.Keys))}. Was it written by another training method?");
        if (!keys.shape.SequenceEqual(_queue.Keys.shape))
            throw new InvalidDataException($"The checkpoint's MoCo queue has shape {Shapes.Format(keys)}, but this method's queue is [{_queue.Size}, {_queue.Dim}]. Use the same queueSize and projectionDim as the saved run.");
        _queue.Restore(keys, pointer.item<long>());
    }

    private static MoCoQueue NewQueue(int dim, int size, long seed, Device device)
    {
        using var generator = new Generator(unchecked((ulong)seed), CPU);
        return new MoCoQueue(dim, size, generator, device);
    }

    private static Device DeviceOf(nn.Module module) => module.parameters().FirstOrDefault()?.device ?? CPU;
}
