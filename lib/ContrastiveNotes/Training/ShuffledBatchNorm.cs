using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Training;

/// <summary>
/// Shuffling BN on one device (He et al. 2019, arXiv:1911.05722, section 3.3). With BatchNorm in training mode, a
/// query and its key that are normalised with the statistics of the same set of images can be matched through
/// those statistics instead of the image content: the network "cheats" the pretext task and finds a low-loss
/// solution that learns little. MoCo's fix on 8 GPUs is to compute the keys of a shuffled batch, so that the key
/// of image i is normalised with other images than its query. Here the batch is split into <c>groups</c>
/// sub-batches run one after the other (BatchNorm statistics per sub-batch, as per GPU), the queries in order and
/// the keys after a random permutation that is undone afterwards.
/// </summary>
internal static class ShuffledBatchNorm
{
    /// <summary>
    /// Runs <paramref name="network"/> on <paramref name="batch"/> <c>[B, ...]</c> in <paramref name="groups"/>
    /// consecutive sub-batches and concatenates the outputs <c>[B, ...]</c> in the input's order.
    /// </summary>
    /// <param name="network">The query network or the key network (its BatchNorm layers see one sub-batch at a time).</param>
    /// <param name="batch">Inputs <c>[B, ...]</c>.</param>
    /// <param name="groups">Sub-batches; at most B / 2, so that every sub-batch has two samples for its statistics.</param>
    /// <param name="shuffle">Generator of the permutation, or null to keep the input order within the groups.</param>
    public static Tensor Forward(nn.Module<Tensor, Tensor> network, Tensor batch, int groups, Generator? shuffle)
    {
        long count = batch.shape[0];
        if (groups < 1)
            throw new ArgumentOutOfRangeException(nameof(groups), groups, "Expected at least 1 group (1 = one BatchNorm batch, no shuffling).");
        if (groups == 1)
            return network.call(batch);
        if (count < 2 * groups)
            throw new ArgumentException(
                $"Shuffling BN with {groups} groups needs a batch of at least {2 * groups} images (two per group), but the batch has {count}. " +
                "Use a larger batch or fewer groups.", nameof(batch));
        var permutation = shuffle is null ? null : torch.randperm(count, generator: shuffle, device: batch.device);
        var input = permutation is null ? batch : batch.index_select(0, permutation);
        var output = torch.cat(input.tensor_split(groups, 0).Select(network.call).ToArray(), 0);
        return permutation is null ? output : output.index_select(0, permutation.argsort());
    }
}
