using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Augmentations;

/// <summary>
/// Per-image random parameters drawn from a generator on the generator's device and moved to the
/// images' device (a no-op when both agree; a few numbers otherwise).
/// </summary>
internal static class RandomDraws
{
    /// <summary>Uniform values in [low, high), <c>float32</c> <c>[count]</c> on <paramref name="device"/>.</summary>
    public static Tensor Uniform(Generator generator, long count, double low, double high, Device device, ScalarType dtype = ScalarType.Float32) =>
        (torch.rand(new[] { count }, dtype, generator.device, generator: generator) * (high - low) + low).to(device);

    /// <summary>Per-image coin flips that are true with <paramref name="probability"/>, shaped <c>[count, 1, 1, 1]</c>.</summary>
    public static Tensor Coin(Generator generator, long count, double probability, Device device) =>
        (torch.rand(new[] { count }, ScalarType.Float32, generator.device, generator: generator) < probability).to(device).view(count, 1, 1, 1);
}
