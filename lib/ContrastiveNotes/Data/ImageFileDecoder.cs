using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Data;

/// <summary>
/// Decodes image files that may be hostile (a user's folder, a download) with SixLabors.ImageSharp 2.1.13, within
/// bounds checked before any pixel is decoded: the file size, and the pixel count and aspect ratio its header declares
/// (<c>Image.Identify</c>); the decoder's allocations are capped as well. The image is resized so that its shorter side
/// is <c>size</c> and centre-cropped to <c>size × size</c> by ImageSharp in one step (triangle filter, antialiased when
/// shrinking: torchvision's <c>Resize(size)</c> + <c>CenterCrop(size)</c>), so no full-size float copy is ever made.
/// </summary>
internal static class ImageFileDecoder
{
    /// <summary>Largest accepted image: 50 megapixels (an 8K frame is 33, a 7,000 × 7,000 photo 49).</summary>
    public const long MaxPixels = 50_000_000;

    /// <summary>Largest accepted ratio of the longer to the shorter side (wide panoramas are about 10).</summary>
    public const double MaxAspectRatio = 50;

    /// <summary>Largest accepted file: 256 MiB.</summary>
    public const long MaxFileBytes = 256L << 20;

    /// <summary>Cap on what the decoder may allocate for one image (a 50-megapixel RGBA image needs 200 MB).</summary>
    private const int AllocationLimitMegabytes = 512;

    private static readonly Configuration Decoding = new(
        new SixLabors.ImageSharp.Formats.Png.PngConfigurationModule(),
        new SixLabors.ImageSharp.Formats.Jpeg.JpegConfigurationModule())
    {
        MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { AllocationLimitMegabytes = AllocationLimitMegabytes }),
    };

    /// <summary>Decodes <paramref name="path"/> to <c>uint8</c> <c>[channels, size, size]</c> (1 = grey, 3 = RGB).</summary>
    /// <exception cref="InvalidDataException">The file is not a PNG/JPEG, is corrupt, or is beyond the bounds.</exception>
    public static Tensor DecodeResizeCrop(string path, int size, int channels)
    {
        var length = new FileInfo(path).Length;
        if (length > MaxFileBytes)
            throw Refused(path, $"the file has {length:N0} bytes, more than the {MaxFileBytes:N0} accepted");
        var bytes = File.ReadAllBytes(path);
        CheckDeclaredSize(path, bytes);
        try
        {
            return channels == 1 ? Pixels<L8>(bytes, size, 1) : Pixels<Rgb24>(bytes, size, 3);
        }
        catch (Exception e) when (e is UnknownImageFormatException or ImageFormatException or InvalidMemoryOperationException or InvalidImageContentException)
        {
            throw new InvalidDataException($"Could not decode '{path}' ({e.Message}); expected a PNG or JPEG image. Remove or re-save the file.", e);
        }
    }

    private static void CheckDeclaredSize(string path, byte[] bytes)
    {
        IImageInfo? info;
        try
        {
            info = Image.Identify(Decoding, bytes, out _);
        }
        catch (Exception e) when (e is ImageFormatException or InvalidImageContentException or UnknownImageFormatException)
        {
            throw new InvalidDataException($"Could not read the header of '{path}' ({e.Message}); expected a PNG or JPEG image. Remove or re-save the file.", e);
        }
        if (info is null)
            throw new InvalidDataException($"'{path}' is not a PNG or JPEG image (its first bytes match neither format). Remove or re-save the file.");
        long pixels = (long)info.Width * info.Height;
        double aspect = (double)Math.Max(info.Width, info.Height) / Math.Max(1, Math.Min(info.Width, info.Height));
        if (info.Width < 1 || info.Height < 1)
            throw Refused(path, $"its header declares {info.Width} × {info.Height} pixels");
        if (pixels > MaxPixels)
            throw Refused(path, $"its header declares {info.Width:N0} × {info.Height:N0} = {pixels:N0} pixels, more than the {MaxPixels:N0} accepted");
        if (aspect > MaxAspectRatio)
            throw Refused(path, $"its header declares {info.Width:N0} × {info.Height:N0} pixels, an aspect ratio of {aspect:0.#}:1, more than the {MaxAspectRatio}:1 accepted");
    }

    private static Tensor Pixels<TPixel>(byte[] bytes, int size, int channels) where TPixel : unmanaged, IPixel<TPixel>
    {
        using var image = Image.Load<TPixel>(Decoding, bytes);
        image.Mutate(c => c.Resize(new ResizeOptions
        {
            Size = new SixLabors.ImageSharp.Size(size, size),
            Mode = ResizeMode.Crop,          // shorter side to size, the longer one centre-cropped
            Position = AnchorPositionMode.Center,
            Sampler = KnownResamplers.Triangle,
        }));
        var buffer = new byte[size * size * channels];
        image.CopyPixelDataTo(buffer);
        return torch.tensor(buffer, new long[] { size, size, channels }).permute(2, 0, 1).contiguous();
    }

    private static InvalidDataException Refused(string path, string found) => new(
        $"Refused '{path}': {found}. Images are checked before decoding so that a small hostile file cannot exhaust memory " +
        $"(at most {MaxPixels:N0} pixels, an aspect ratio of {MaxAspectRatio}:1 and {MaxFileBytes >> 20} MiB). Shrink or remove the file.");
}
