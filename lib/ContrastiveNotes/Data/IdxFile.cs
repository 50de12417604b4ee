using System.Buffers.Binary;
using System.IO.Compression;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Data;

/// <summary>
/// Reads the IDX format of MNIST and Fashion-MNIST (LeCun et al.; Xiao, Rasul &amp; Vollgraf 2017,
/// arXiv:1708.07747): a big-endian header (magic <c>0x00000803</c> for images, <c>0x00000801</c> for
/// labels, then the dimension sizes) followed by raw <c>uint8</c> values. Files may be gzip-compressed
/// (<c>.gz</c>). The pixels are copied into a tensor in one bulk copy.
/// </summary>
public static class IdxFile
{
    /// <summary>Magic number of an IDX file of unsigned bytes with three dimensions (images).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an IDX file of unsigned bytes with one dimension (labels).</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>Returns the file's bytes, decompressed when the name ends in <c>.gz</c>.</summary>
    public static byte[] ReadAllBytes(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"IDX file '{path}' does not exist. Expected an IDX file (optionally .gz); check the folder or download the dataset.", path);
        if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            return File.ReadAllBytes(path);
        try
        {
            using var file = File.OpenRead(path);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var memory = new MemoryStream();
            gzip.CopyTo(memory);
            return memory.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException(
                $"'{path}' is not a valid gzip file ({e.Message}). Expected a gzip-compressed IDX file; the file is probably truncated or corrupt: delete it and download it again.", e);
        }
    }

    /// <summary>Reads an IDX image file into a <c>uint8</c> tensor <c>[count, 1, rows, columns]</c>.</summary>
    public static Tensor ReadImages(string path) => ParseImages(ReadAllBytes(path), path);

    /// <summary>Reads an IDX label file into an <c>int64</c> tensor <c>[count]</c>.</summary>
    public static Tensor ReadLabels(string path) => ParseLabels(ReadAllBytes(path), path);

    /// <summary>Parses the bytes of an IDX image file; <paramref name="path"/> names the file in error messages.</summary>
    public static Tensor ParseImages(byte[] bytes, string path)
    {
        CheckHeader(bytes, path, ImagesMagic, headerLength: 16, "images");
        int count = ReadDimension(bytes, 4), rows = ReadDimension(bytes, 8), columns = ReadDimension(bytes, 12);
        long expected = 16L + (long)count * rows * columns;
        CheckLength(bytes, path, expected, $"{count} images of {rows}x{columns} pixels");
        var pixels = new byte[expected - 16];
        Buffer.BlockCopy(bytes, 16, pixels, 0, pixels.Length);
        return torch.tensor(pixels, new long[] { count, 1, rows, columns });
    }

    /// <summary>Parses the bytes of an IDX label file; <paramref name="path"/> names the file in error messages.</summary>
    public static Tensor ParseLabels(byte[] bytes, string path)
    {
        CheckHeader(bytes, path, LabelsMagic, headerLength: 8, "labels");
        int count = ReadDimension(bytes, 4);
        CheckLength(bytes, path, 8L + count, $"{count} labels");
        var labels = new byte[count];
        Buffer.BlockCopy(bytes, 8, labels, 0, count);
        using var asBytes = torch.tensor(labels, new long[] { count });
        return asBytes.to(ScalarType.Int64);
    }

    private static void CheckHeader(byte[] bytes, string path, int magic, int headerLength, string kind)
    {
        if (bytes.Length < headerLength)
            throw new InvalidDataException(
                $"IDX {kind} file '{path}' is truncated: expected a header of {headerLength} bytes, found only {bytes.Length} bytes. " +
                "Delete the file and download it again.");
        int found = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (found != magic)
            throw new InvalidDataException(
                $"'{path}' is not an IDX {kind} file: expected magic number 0x{magic:X8}, found 0x{found:X8}. " +
                $"Check that the file is the {kind} file of the dataset (not the other one of the pair, and decompressed correctly).");
    }

    private static int ReadDimension(byte[] bytes, int offset) => BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset));

    private static void CheckLength(byte[] bytes, string path, long expected, string what)
    {
        if (bytes.Length != expected)
            throw new InvalidDataException(
                $"IDX file '{path}' has the wrong length: its header announces {what}, i.e. {expected} bytes, but the file holds {bytes.Length} bytes" +
                (bytes.Length < expected ? " (truncated)" : "") + ". Delete the file and download it again.");
    }
}
