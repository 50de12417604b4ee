using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Losses;

/// <summary>
/// The dictionary of MoCo: a fixed-size first-in-first-out queue of L2-normalised keys from past batches, used as
/// negatives (He, Fan, Wu, Xie &amp; Girshick 2019, "Momentum Contrast for Unsupervised Visual Representation
/// Learning", arXiv:1911.05722, Algorithm 1). Like the paper's code it starts filled with random normalised keys.
/// </summary>
/// <remarks>
/// The queue is a ring buffer: <see cref="Enqueue"/> overwrites the oldest rows starting at <see cref="Pointer"/>
/// and wraps around the end, so the batch size need not divide the queue size (the reference implementation
/// asserts that it does). Keys are stored detached; no gradient ever flows into the queue.
/// </remarks>
public sealed class MoCoQueue : IDisposable
{
    private Tensor _keys;

    /// <summary>Creates a queue of <paramref name="size"/> random unit keys of dimension <paramref name="dim"/>.</summary>
    /// <param name="dim">Key dimension (the projection head's output size, 128 in MoCo).</param>
    /// <param name="size">Number of keys K (65536 in the paper; a few thousand suffice on small datasets).</param>
    /// <param name="generator">Seeded CPU generator for the initial random keys, so runs are reproducible.</param>
    /// <param name="device">Device of the keys (that of the encoder); CPU when null.</param>
    public MoCoQueue(int dim, int size, torch.Generator generator, Device? device = null)
    {
        if (dim < 1)
            throw new ArgumentOutOfRangeException(nameof(dim), dim, $"The key dimension must be >= 1, but it is {dim}. Pass the projection head's output size.");
        if (size < 1)
            throw new ArgumentOutOfRangeException(nameof(size), size, $"The queue size must be >= 1, but it is {size}. MoCo uses 65536; use a multiple of your batch size or any size >= 1.");
        ArgumentNullException.ThrowIfNull(generator);
        var random = torch.randn(new long[] { size, dim }, generator: generator);
        _keys = nn.functional.normalize(random, p: 2, dim: 1).to(device ?? torch.CPU);
        random.Dispose();
    }

    /// <summary>The stored keys <c>[size, dim]</c>, unit length, in ring-buffer order (not age order).</summary>
    public Tensor Keys => _keys;

    /// <summary>Number of keys K.</summary>
    public long Size => _keys.shape[0];

    /// <summary>Key dimension.</summary>
    public long Dim => _keys.shape[1];

    /// <summary>Row where the next enqueued key is written (the oldest key).</summary>
    public long Pointer { get; private set; }

    /// <summary>
    /// Writes a batch of keys over the oldest ones (dequeue and enqueue in one step), normalising them and detaching
    /// them from the graph. A batch larger than the queue keeps only its last <see cref="Size"/> keys.
    /// </summary>
    /// <param name="keys">Keys of the current batch <c>[B, dim]</c>, from the momentum encoder.</param>
    public void Enqueue(Tensor keys)
    {
        LossInputs.RequireFloating(keys, 2, nameof(keys), $"[batch, {Dim}]");
        if (keys.shape[1] != Dim)
            throw new ArgumentException(
                $"keys must have {Dim} columns (the queue's key dimension), but their shape is {Shapes.Format(keys)}. " +
                "Enqueue the momentum encoder's projections, not its features.", nameof(keys));
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        long batch = keys.shape[0];
        long kept = Math.Min(batch, Size);
        var newest = nn.functional.normalize(keys.detach()[TensorIndex.Slice(batch - kept)], p: 2, dim: 1);
        var rows = (torch.arange(kept, dtype: ScalarType.Int64, device: _keys.device) + (Pointer + batch - kept)) % Size;
        _keys.index_copy_(0, rows, newest.to(_keys.dtype).to(_keys.device));
        Pointer = (Pointer + batch) % Size;
    }

    /// <summary>
    /// Puts the queue back in a saved state, e.g. when training resumes from a checkpoint: copies
    /// <paramref name="keys"/> <c>[Size, Dim]</c> (as saved from <see cref="Keys"/>, already L2-normalised) and sets the
    /// write position, so the next <see cref="Enqueue"/> overwrites the same rows as it would have in the saved run.
    /// </summary>
    /// <param name="keys">The saved keys <c>[Size, Dim]</c>, any device and floating dtype.</param>
    /// <param name="pointer">The saved <see cref="Pointer"/>, in <c>[0, Size)</c>.</param>
    public void Restore(Tensor keys, long pointer)
    {
        LossInputs.RequireFloating(keys, 2, nameof(keys), $"[{Size}, {Dim}]");
        if (!keys.shape.SequenceEqual(_keys.shape))
            throw new ArgumentException(
                $"The saved keys have shape {Shapes.Format(keys)}, but this queue holds [{Size}, {Dim}]. " +
                "Create the queue with the saved run's queue size and key dimension.", nameof(keys));
        if (pointer < 0 || pointer >= Size)
            throw new ArgumentOutOfRangeException(nameof(pointer), pointer, $"The write position must be in [0, {Size}), but it is {pointer}.");
        using var noGrad = torch.no_grad();
        _keys.copy_(keys.detach());
        Pointer = pointer;
    }

    /// <summary>Releases the keys tensor.</summary>
    public void Dispose() => _keys.Dispose();
}
