using static TorchSharp.torch;

namespace ContrastiveNotes.IO;

/// <summary>
/// Reads one tensor in TorchSharp's stream format (LEB128 dtype, rank and dimensions, then the raw elements) after
/// checking its header against the bytes that are actually left, so that a corrupt or hostile file is an
/// <see cref="InvalidDataException"/> that says what is wrong, never a native allocation of a made-up shape inside
/// libtorch (which can end the process).
/// </summary>
public static class TensorReader
{
    /// <summary>The largest rank accepted.</summary>
    public const int MaxRank = 16;

    /// <summary>Reads a tensor written by TorchSharp's <c>Tensor.Save(BinaryWriter)</c>; the stream must be seekable.</summary>
    /// <exception cref="InvalidDataException">The header names an unknown type, an impossible rank or shape, or more bytes than the stream has left.</exception>
    public static Tensor Read(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var stream = reader.BaseStream;
        long start = stream.Position;
        var type = (ScalarType)Decode(reader);
        long elementSize = ElementSize(type) ?? throw new InvalidDataException($"a tensor has the unknown element type {(long)type}");
        long rank = Decode(reader);
        if (rank < 0 || rank > MaxRank)
            throw new InvalidDataException($"a tensor has rank {rank}; expected 0 to {MaxRank}");
        long bytes = elementSize;
        long left = stream.Length - start;
        for (long i = 0; i < rank; i++)
        {
            long dimension = Decode(reader);
            if (dimension < 0 || dimension > left)
                throw new InvalidDataException($"a tensor has dimension {dimension}; expected 0 to {left} (the bytes left)");
            bytes = dimension == 0 ? 0 : (bytes > long.MaxValue / dimension ? long.MaxValue : bytes * dimension);
        }
        if (bytes > stream.Length - stream.Position)
            throw new InvalidDataException($"a {type} tensor needs {bytes} bytes of data, but only {stream.Length - stream.Position} are left");
        stream.Position = start;
        return TorchSharp.TensorExtensionMethods.Load(reader);
    }

    private static long? ElementSize(ScalarType type) => type switch
    {
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 or ScalarType.ComplexFloat32 => 8,
        ScalarType.ComplexFloat64 => 16,
        _ => null,
    };

    /// <summary>Reads TorchSharp's LEB128 variable-length integer (entry counts, tensor headers).</summary>
    public static long Decode(BinaryReader reader)
    {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte next = reader.ReadByte();
            value |= (long)(next & 0x7f) << shift;
            if ((next & 0x80) == 0)
                return value;
        }
        throw new InvalidDataException("a tensor header holds an integer longer than 64 bits");
    }
}
