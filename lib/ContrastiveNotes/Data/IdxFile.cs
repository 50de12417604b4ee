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

    /// <summary>Largest IDX file accepted, header included: the largest .NET byte array.</summary>
    public static long MaxBytes => Array.MaxLength;

    /// <summary>
    /// Returns the file's bytes, decompressed when the name ends in <c>.gz</c>, reading at most what the header declares
    /// (a gzip file that inflates beyond its IDX header's sizes is refused as soon as it does, so a small hostile file
    /// cannot fill memory). A header that is not an IDX header ends the read: the parse then reports it.
    /// </summary>
    public static byte[] ReadAllBytes(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"IDX file '{path}' does not exist. Expected an IDX file (optionally .gz); check the folder or download the dataset.", path);
        bool gzip = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        try
        {
            using var file = File.OpenRead(path);
            using Stream input = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
            var header = ReadUpTo(input, 16);
            long declared = DeclaredLength(header, path);
            if (declared < 0) return header;   // not an IDX header (or too short to be one): the parse says which
            bool beyond = header.Length > declared;
            using var memory = new MemoryStream();
            memory.Write(header, 0, header.Length);
            var chunk = new byte[1 << 16];
            int read;
            while (!beyond && (read = input.Read(chunk, 0, chunk.Length)) > 0)
            {
                beyond = memory.Length + read > declared;
                if (!beyond) memory.Write(chunk, 0, read);
            }
            if (beyond)
                throw new InvalidDataException(
                    $"'{path}' holds more than its IDX header declares ({declared:N0} bytes){(gzip ? ": it inflates beyond that" : "")}. " +
                    "The file is corrupt or not what it claims to be: delete it and download it again.");
            return memory.ToArray();
        }
        catch (InvalidDataException e) when (gzip && e.InnerException is null && !e.Message.Contains(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException(
                $"'{path}' is not a valid gzip file ({e.Message}). Expected a gzip-compressed IDX file; the file is probably truncated or corrupt: delete it and download it again.", e);
        }
    }

    private static byte[] ReadUpTo(Stream input, int count)
    {
        var buffer = new byte[count];
        int total = 0, read;
        while (total < count && (read = input.Read(buffer, total, count - total)) > 0) total += read;
        return total == count ? buffer : buffer[..total];
    }

    /// <summary>
    /// The file length an IDX header declares, or -1 when <paramref name="header"/> is not an images or labels header
    /// (or too short to tell). Dimensions must be at least 1 and the total at most <see cref="MaxBytes"/>.
    /// </summary>
    private static long DeclaredLength(byte[] header, string path)
    {
        if (header.Length < 8) return -1;
        int magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic == LabelsMagic) return 8L + Dimension(header, 4, path, "label count");
        if (magic != ImagesMagic || header.Length < 16) return -1;
        long count = Dimension(header, 4, path, "image count"), rows = Dimension(header, 8, path, "rows"), columns = Dimension(header, 12, path, "columns");
        long pixels = count * rows * columns;   // each at most 2^31 - 1, so the product of three fits only if checked:
        if (rows * columns > MaxBytes || pixels / (rows * columns) != count || 16 + pixels > MaxBytes)
            throw new InvalidDataException(
                $"IDX images file '{path}' declares {count:N0} images of {rows:N0}x{columns:N0} pixels, more than the {MaxBytes:N0} bytes an IDX file may hold here. " +
                "The header is corrupt: delete the file and download it again.");
        return 16 + pixels;
    }

    private static long Dimension(byte[] header, int offset, string path, string name)
    {
        int value = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(offset));
        if (value < 1)
            throw new InvalidDataException(
                $"IDX file '{path}' declares {value} as its {name}; expected at least 1. The header is corrupt: delete the file and download it again.");
        return value;
    }

    /// <summary>Reads an IDX image file into a <c>uint8</c> tensor <c>[count, 1, rows, columns]</c>.</summary>
    public static Tensor ReadImages(string path) => ParseImages(ReadAllBytes(path), path);

    /// <summary>Reads an IDX label file into an <c>int64</c> tensor <c>[count]</c>.</summary>
    public static Tensor ReadLabels(string path) => ParseLabels(ReadAllBytes(path), path);

    /// <summary>Parses the bytes of an IDX image file; <paramref name="path"/> names the file in error messages.</summary>
    public static Tensor ParseImages(byte[] bytes, string path)
    {
        CheckHeader(bytes, path, ImagesMagic, headerLength: 16, "images");
        long expected = DeclaredLength(bytes, path);
        int count = ReadDimension(bytes, 4), rows = ReadDimension(bytes, 8), columns = ReadDimension(bytes, 12);
        CheckLength(bytes, path, expected, $"{count} images of {rows}x{columns} pixels");
        var pixels = new byte[expected - 16];
        Buffer.BlockCopy(bytes, 16, pixels, 0, pixels.Length);
        return torch.tensor(pixels, new long[] { count, 1, rows, columns });
    }

    /// <summary>Parses the bytes of an IDX label file; <paramref name="path"/> names the file in error messages.</summary>
    public static Tensor ParseLabels(byte[] bytes, string path)
    {
        CheckHeader(bytes, path, LabelsMagic, headerLength: 8, "labels");
        long expected = DeclaredLength(bytes, path);
        int count = ReadDimension(bytes, 4);
        CheckLength(bytes, path, expected, $"{count} labels");
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
