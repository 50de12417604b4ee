using ContrastiveNotes.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Models;

/// <summary>
/// Saves and loads a module's weights (parameters and buffers, TorchSharp's state-dict format) so that an encoder
/// trained in one notebook is reused in the next. Files are written atomically, with their SHA-256 beside them in
/// <c>&lt;file&gt;.sha256</c> (the format of <c>sha256sum</c>, so <c>sha256sum -c</c> checks it too), and on load the
/// checksum and the model's architecture are checked before anything is loaded.
/// </summary>
public static class ModelWeights
{
    /// <summary>
    /// Writes the module's state dict to <paramref name="path"/> through a temporary file in the same folder that is
    /// then renamed, so an interrupted save never leaves a half-written file. Creates the folder if needed. While the
    /// weights file is replaced, its checksum file lists the old and the new SHA-256 (then only the new one), so a
    /// save killed between the two renames still leaves a pair that verifies: the old weights or the new ones.
    /// </summary>
    /// <param name="module">The model (any TorchSharp module), on any device.</param>
    /// <param name="path">Destination file, e.g. <c>checkpoints/simclr-encoder.bin</c>; replaced if it exists.</param>
    public static void Save(nn.Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        byte[] bytes;
        using (var buffer = new MemoryStream())
        {
            using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
                module.save(writer);
            bytes = buffer.ToArray();
        }
        string sidecar = ChecksumPath(path), name = Path.GetFileName(path), hash = Checksums.Sha256(bytes);
        var listed = File.Exists(path) && File.Exists(sidecar) ? ListedHashes(sidecar) : [];
        if (listed.Count > 0)
            AtomicFile.WriteAllText(sidecar, ChecksumLines(listed.Append(hash).Distinct(StringComparer.OrdinalIgnoreCase), name));
        AtomicFile.WriteAllBytes(path, bytes);
        AtomicFile.WriteAllText(sidecar, ChecksumLines([hash], name));
    }

    /// <summary>
    /// Loads weights saved by <see cref="Save"/> into <paramref name="module"/>, keeping the module on its device.
    /// </summary>
    /// <param name="module">A model with the same architecture (same constructor arguments) as the one saved.</param>
    /// <param name="path">The weights file.</param>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a TorchSharp state dict (truncated), has no checksum file, or does not match its checksum.</exception>
    /// <exception cref="ArgumentException">The file's parameter names or shapes differ from the module's; the message names them.</exception>
    public static void Load(nn.Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        string fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
            throw new FileNotFoundException(
                $"No weights file at '{fullPath}'. Run the notebook that trains and saves this model first " +
                "(ModelWeights.Save), or check the path.", fullPath);

        var stored = ReadStateDict(fullPath);
        try
        {
            VerifyChecksum(fullPath);
            var expected = module.state_dict();
            var differences = Differences(expected, stored);
            if (differences.Count > 0)
                throw new ArgumentException(
                    $"The weights in '{fullPath}' do not fit this {module.GetName()}: {string.Join("; ", differences.Take(5))}" +
                    (differences.Count > 5 ? $"; and {differences.Count - 5} more" : "") +
                    ". Load them into the same architecture (same class and constructor arguments) that saved them.",
                    nameof(module));
            using var noGrad = torch.no_grad();
            foreach (var (name, tensor) in expected)
                tensor.copy_(stored[name]);
        }
        finally
        {
            foreach (var tensor in stored.Values)
                tensor.Dispose();
        }
    }

    /// <summary>The checksum file of a weights file: <c>&lt;path&gt;.sha256</c>.</summary>
    public static string ChecksumPath(string path) => path + ".sha256";

    private static void VerifyChecksum(string path)
    {
        string sidecar = ChecksumPath(path);
        if (!File.Exists(sidecar))
            throw new InvalidDataException(
                $"'{path}' has no checksum file '{Path.GetFileName(sidecar)}' beside it (it was written by an older version of the library or copied " +
                "without it), so its integrity cannot be checked. Delete it and run the notebook that saves it again, or save it again with ModelWeights.Save.");
        var expected = ListedHashes(sidecar);
        var actual = Checksums.Sha256OfFile(path);
        if (!expected.Contains(actual, StringComparer.OrdinalIgnoreCase))
            throw new InvalidDataException(
                $"'{path}' is corrupt: its SHA-256 is {actual}, but '{Path.GetFileName(sidecar)}' says " +
                $"{(expected.Count == 0 ? "nothing readable" : string.Join(" or ", expected))}. Its bytes changed after it was saved; " +
                "delete it and run the notebook that saves it again.");
    }

    /// <summary>The hashes of a checksum file, one per non-empty line (<c>sha256sum</c> format: hash, two spaces, name).</summary>
    private static List<string> ListedHashes(string sidecar) =>
        File.ReadAllLines(sidecar).Select(line => line.Trim()).Where(line => line.Length > 0)
            .Select(line => line.Split(' ', 2)[0]).ToList();

    private static string ChecksumLines(IEnumerable<string> hashes, string name) =>
        string.Concat(hashes.Select(hash => $"{hash}  {name}\n"));

    /// <summary>
    /// Lists how the <paramref name="found"/> state dict differs from the <paramref name="expected"/> one: missing,
    /// unexpected, reshaped or retyped entries, one sentence each naming the entry. Empty when they match.
    /// </summary>
    internal static List<string> Differences(
        IReadOnlyDictionary<string, Tensor> expected, IReadOnlyDictionary<string, Tensor> found,
        string expectedSide = "the model", string foundSide = "the weights")
    {
        var differences = new List<string>();
        foreach (var (name, tensor) in expected)
        {
            if (!found.TryGetValue(name, out var other))
                differences.Add($"'{name}' {Describe(tensor)} is in {expectedSide} but not in {foundSide}");
            else if (!tensor.shape.SequenceEqual(other.shape) || tensor.dtype != other.dtype)
                differences.Add($"'{name}' is {Describe(tensor)} in {expectedSide} but {Describe(other)} in {foundSide}");
        }
        foreach (var (name, tensor) in found)
            if (!expected.ContainsKey(name))
                differences.Add($"'{name}' {Describe(tensor)} is in {foundSide} but not in {expectedSide}");
        return differences;
    }

    private static string Describe(Tensor tensor) => $"{Shapes.Format(tensor)} {tensor.dtype}";

    private static Dictionary<string, Tensor> ReadStateDict(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream);
            var entries = ReadStateDict(reader, stream.Length);
            if (stream.Position != stream.Length)
            {
                foreach (var tensor in entries.Values)
                    tensor.Dispose();
                throw new InvalidDataException($"{stream.Length - stream.Position} bytes follow the last entry");
            }
            return entries;
        }
        catch (InvalidDataException error)
        {
            throw new InvalidDataException(
                $"'{path}' is not a readable TorchSharp weights file ({error.Message}). It may be truncated or from another " +
                "program; save it again with ModelWeights.Save.", error);
        }
    }

    /// <summary>
    /// Reads one state dict in TorchSharp's format (entry count, then name and tensor per entry) without touching any
    /// module; <paramref name="limit"/> bounds the entry count (the bytes left). The caller owns the tensors.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not a state dict (truncated, impossible count, bad tensor).</exception>
    internal static Dictionary<string, Tensor> ReadStateDict(BinaryReader reader, long limit)
    {
        var entries = new Dictionary<string, Tensor>();
        try
        {
            long count = TensorReader.Decode(reader);
            if (count < 0 || count > limit)
                throw new InvalidDataException($"the entry count {count} is impossible");
            for (long i = 0; i < count; i++)
            {
                string name = reader.ReadString();
                entries[name] = TensorReader.Read(reader);
            }
            return entries;
        }
        catch (Exception error) when (error is EndOfStreamException or InvalidDataException or ArgumentException or IOException or OverflowException
            or System.Runtime.InteropServices.ExternalException)
        {
            foreach (var tensor in entries.Values)
                tensor.Dispose();
            throw new InvalidDataException(error is System.Runtime.InteropServices.ExternalException ? "a tensor header is impossible" : error.Message, error);
        }
    }
}
