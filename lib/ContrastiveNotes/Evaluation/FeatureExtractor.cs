using ContrastiveNotes.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Evaluation;

/// <summary>
/// Runs a frozen encoder over a whole image tensor in batches and collects the features, the first step of every
/// evaluation (kNN, linear probe, metrics, plots). The encoder runs in eval mode under <c>torch.no_grad()</c>; its
/// previous training mode is restored afterwards.
/// </summary>
public static class FeatureExtractor
{
    /// <summary>
    /// Encodes <paramref name="images"/> <c>[count, channels, height, width]</c> (uint8 in [0, 255] or float in [0, 1],
    /// typically on the CPU) into features <c>[count, featureDim]</c>.
    /// </summary>
    /// <param name="encoder">Any module mapping images <c>[batch, channels, height, width]</c> to features <c>[batch, featureDim]</c>.</param>
    /// <param name="images">Images <c>[count, channels, height, width]</c>; uint8 is converted to float32 / 255 per batch.</param>
    /// <param name="device">Device the encoder lives on; each batch is moved there.</param>
    /// <param name="batchSize">Images per forward pass.</param>
    /// <param name="normalize">Optional transform applied to each float batch on the device (e.g. mean/std normalisation).</param>
    /// <param name="keepOnDevice">Keep the features on <paramref name="device"/> instead of copying them to the CPU.</param>
    /// <returns>Features <c>[count, featureDim]</c>, float32, on the CPU (or on <paramref name="device"/>).</returns>
    public static Tensor Extract(
        nn.Module<Tensor, Tensor> encoder,
        Tensor images,
        Device device,
        int batchSize = 256,
        Func<Tensor, Tensor>? normalize = null,
        bool keepOnDevice = false)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ValidateImages(images);
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Expected a batch size of at least 1.");

        bool wasTraining = encoder.training;
        encoder.eval();
        try
        {
            using var noGrad = torch.no_grad();
            var parts = new List<Tensor>();
            long count = images.shape[0];
            for (long start = 0; start < count; start += batchSize)
            {
                using var scope = torch.NewDisposeScope();
                long end = Math.Min(count, start + batchSize);
                var features = EncodeBatch(encoder, images.slice(0, start, end, 1), device, normalize);
                parts.Add((keepOnDevice ? features : features.cpu()).MoveToOuterDisposeScope());
            }
            if (parts.Count == 0)
                throw new ArgumentException("Expected at least one image, found an empty tensor.", nameof(images));
            var result = torch.cat(parts, 0);
            foreach (var part in parts) part.Dispose();
            return result;
        }
        finally
        {
            encoder.train(wasTraining);
        }
    }

    private static Tensor EncodeBatch(nn.Module<Tensor, Tensor> encoder, Tensor batch, Device device, Func<Tensor, Tensor>? normalize)
    {
        var input = batch.to(device);
        input = ImageTensors.ToUnitFloat(input);
        if (normalize is not null) input = normalize(input);
        var features = encoder.call(input);
        if (features.dim() != 2 || features.shape[0] != input.shape[0])
            throw new InvalidOperationException(
                $"Expected the encoder to return features [{input.shape[0]}, featureDim], found {Shapes.Format(features)}. " +
                "Pass the encoder without its projection head, or flatten its output.");
        return features;
    }

    private static void ValidateImages(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4)
            throw new ArgumentException(
                $"Expected images [count, channels, height, width], found shape {Shapes.Format(images)}. Add a channel dimension with unsqueeze(1) for grayscale images.",
                nameof(images));
        if (images.dtype != ScalarType.Byte && !torch.is_floating_point(images))
            throw new ArgumentException($"Expected uint8 or floating-point images, found {images.dtype}.", nameof(images));
    }
}
