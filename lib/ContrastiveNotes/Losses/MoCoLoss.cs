using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Losses;

/// <summary>
/// The InfoNCE loss of MoCo (He et al. 2019, arXiv:1911.05722, eq. 1; v2: Chen, Fan, Girshick &amp; He 2020,
/// arXiv:2003.04297): each query must pick out its own key (from the momentum encoder) among the K keys of the
/// queue.
/// </summary>
/// <remarks>
/// With L2-normalised query <c>q</c>, its key <c>k+</c> and the queue's keys <c>k_1..k_K</c> (all normalised here,
/// which changes nothing for inputs that already are):
/// <code>
/// L_q = -log( exp(q·k+ / τ) / ( exp(q·k+ / τ) + Σ_{i=1..K} exp(q·k_i / τ) ) )
/// </code>
/// i.e. a (K+1)-way cross-entropy with the positive at logit index 0, averaged over the batch. Keys and queue
/// are detached (stop-gradient): only the query encoder learns from this loss.
/// </remarks>
public sealed class MoCoLoss : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    /// <summary>Creates the loss with temperature τ (0.07 in MoCo v1, 0.2 in MoCo v2).</summary>
    /// <param name="temperature">τ &gt; 0.</param>
    public MoCoLoss(double temperature = 0.2) : base(nameof(MoCoLoss))
    {
        LossInputs.RequirePositive(temperature, nameof(temperature), "MoCo v1 uses 0.07, v2 uses 0.2.");
        Temperature = temperature;
    }

    /// <summary>The temperature τ.</summary>
    public double Temperature { get; }

    /// <summary>The mean InfoNCE loss of the queries against their keys and the queue.</summary>
    /// <param name="queries">Query projections from the online encoder <c>[N, D]</c>.</param>
    /// <param name="keys">Key projections of the other view from the momentum encoder <c>[N, D]</c>.</param>
    /// <param name="queue">Negative keys <c>[K, D]</c>, normally <see cref="MoCoQueue.Keys"/> before this batch is enqueued.</param>
    /// <returns>A scalar tensor.</returns>
    public override Tensor forward(Tensor queries, Tensor keys, Tensor queue)
    {
        var (logits, positives) = Logits(queries, keys, queue, Temperature);
        return nn.functional.cross_entropy(logits, positives);
    }

    /// <summary>
    /// The symmetrised loss <c>L(q1, k2) + L(q2, k1)</c> (the symmetrisation of MoCo v3, Chen, Xie &amp; He 2021,
    /// arXiv:2104.02057, kept here with the queue): both views serve as query and as key.
    /// </summary>
    /// <param name="queries1">Online projections of view 1 <c>[N, D]</c>.</param>
    /// <param name="queries2">Online projections of view 2 <c>[N, D]</c>.</param>
    /// <param name="keys1">Momentum projections of view 1 <c>[N, D]</c>.</param>
    /// <param name="keys2">Momentum projections of view 2 <c>[N, D]</c>.</param>
    /// <param name="queue">Negative keys <c>[K, D]</c>.</param>
    public Tensor Symmetric(Tensor queries1, Tensor queries2, Tensor keys1, Tensor keys2, Tensor queue) =>
        forward(queries1, keys2, queue) + forward(queries2, keys1, queue);

    /// <summary>
    /// The <c>[N, 1 + K]</c> logits (column 0: <c>q·k+ / τ</c>, columns 1..K: <c>q·k_i / τ</c>) and the positive
    /// index (all zeros, int64 <c>[N]</c>), for plotting or for computing accuracy.
    /// </summary>
    /// <param name="queries">Query projections <c>[N, D]</c>.</param>
    /// <param name="keys">Key projections <c>[N, D]</c>.</param>
    /// <param name="queue">Negative keys <c>[K, D]</c>.</param>
    /// <param name="temperature">τ &gt; 0.</param>
    public static (Tensor Logits, Tensor PositiveIndex) Logits(Tensor queries, Tensor keys, Tensor queue, double temperature)
    {
        LossInputs.RequirePositive(temperature, nameof(temperature), "MoCo v1 uses 0.07, v2 uses 0.2.");
        LossInputs.RequireFloating(queries, 2, nameof(queries), "[N, D]");
        LossInputs.RequireFloating(keys, 2, nameof(keys), "[N, D]");
        LossInputs.RequireFloating(queue, 2, nameof(queue), "[K, D]");
        LossInputs.RequireSameShape(queries, nameof(queries), keys, nameof(keys));
        LossInputs.RequireSameDtypeAndDevice(queries, nameof(queries), queue, nameof(queue));
        if (queue.shape[1] != queries.shape[1])
            throw new ArgumentException(
                $"queue must have the projection dimension {queries.shape[1]} of the queries, but its shape is " +
                $"{Shapes.Format(queue)}. Create the MoCoQueue with dim = the projection head's output size.",
                nameof(queue));

        var q = nn.functional.normalize(queries, p: 2, dim: 1);
        var k = nn.functional.normalize(keys.detach(), p: 2, dim: 1);
        var positive = (q * k).sum(1, keepdim: true);
        var negatives = q.matmul(nn.functional.normalize(queue.detach(), p: 2, dim: 1).t());
        var logits = torch.cat(new[] { positive, negatives }, 1) / temperature;
        var zeros = torch.zeros(queries.shape[0], dtype: ScalarType.Int64, device: queries.device);
        return (logits, zeros);
    }
}
