using System.Buffers.Binary;
using System.IO.Compression;

namespace ContrastiveNotes.Tests.Data;

/// <summary>Writes IDX files (the MNIST format) by hand, so readers are tested on files built independently.</summary>
internal static class IdxWriter
{
    public static byte[] Images(int count, int rows, int columns, Func<int, int, int, byte> pixel)
    {
        var bytes = new byte[16 + count * rows * columns];
        BinaryPrimitives.WriteInt32BigEndian(bytes, 0x00000803);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), columns);
        for (int n = 0; n < count; n++)
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < columns; c++)
                    bytes[16 + (n * rows + r) * columns + c] = pixel(n, r, c);
        return bytes;
    }

    public static byte[] Labels(byte[] labels)
    {
        var bytes = new byte[8 + labels.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, 0x00000801);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), labels.Length);
        labels.CopyTo(bytes, 8);
        return bytes;
    }

    public static void WriteGz(string path, byte[] bytes)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(bytes);
    }
}
