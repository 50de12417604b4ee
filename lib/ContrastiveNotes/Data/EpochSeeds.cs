namespace ContrastiveNotes.Data;

/// <summary>
/// The one scheme for per-epoch randomness: epoch <c>e</c> of a run with seed <c>s</c> draws its data order from
/// <see cref="Of"/>(s, e), a SplitMix64 hash (Steele, Lea &amp; Flood 2014), so epochs differ, runs with different
/// seeds differ, and a resumed run draws exactly the batches an uninterrupted one would.
/// </summary>
public static class EpochSeeds
{
    /// <summary>The seed of epoch <paramref name="epoch"/> (0-based) of a run seeded with <paramref name="seed"/>.</summary>
    public static long Of(long seed, int epoch)
    {
        unchecked
        {
            ulong z = (ulong)seed + 0x9E3779B97F4A7C15UL * (ulong)(epoch + 1);
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return (long)((z ^ (z >> 31)) & long.MaxValue);
        }
    }

    /// <summary>A random order of <paramref name="count"/> items for <paramref name="epoch"/> (int64 <c>[count]</c>, on the CPU).</summary>
    public static TorchSharp.torch.Tensor Order(long count, long seed, int epoch)
    {
        using var generator = new TorchSharp.torch.Generator(unchecked((ulong)Of(seed, epoch)), TorchSharp.torch.CPU);
        return TorchSharp.torch.randperm(count, generator: generator);
    }
}
