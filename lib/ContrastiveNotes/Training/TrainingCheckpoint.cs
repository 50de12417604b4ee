using System.Security.Cryptography;
using ContrastiveNotes.IO;
using ContrastiveNotes.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Training;

/// <summary>
/// The training checkpoint format, in one place: what a resumed run needs to continue exactly where a run stopped.
/// The file is the magic line, the payload's length, the payload, its SHA-256 and the magic line again. The payload
/// holds the method, optimizer, epochs and seed the run was started with, the step and steps per epoch, the
/// augmentation generator's state, the method's named <see cref="ITrainingMethod.State"/>, every module's weights
/// (TorchSharp state dicts), the optimizer state and the <see cref="TrainingHistory"/>. Loading verifies the
/// checksum, then reads and checks everything against the trainer (method, options, module names and shapes,
/// method state) before it changes anything, so a corrupt, truncated or mismatched file leaves the trainer as it
/// was. Written atomically (<see cref="AtomicFile"/>); a checkpoint of non-finite weights is refused.
/// </summary>
public static class TrainingCheckpoint
{
    /// <summary>The first and last string of a checkpoint; the number is the format version.</summary>
    public const string Magic = "ContrastiveNotes.TrainingCheckpoint/2";

    private const int HashBytes = 32;

    /// <summary>Writes the state of <paramref name="trainer"/> to <paramref name="path"/>.</summary>
    /// <exception cref="InvalidOperationException">The weights are not all finite (the previous file is kept).</exception>
    public static void Save(Trainer trainer, string path)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        if (!DivergenceGuard.AllFinite(trainer.Method.Modules))
            throw new InvalidOperationException($"Refusing to write the checkpoint '{path}': {trainer.Method.Name}'s weights are not all finite. The previous checkpoint is kept; lower the learning rate and train again.");
        byte[] payload;
        using (var scope = torch.NewDisposeScope()) // frees the state tensors a method makes for the occasion
        using (var buffer = new MemoryStream())
        {
            using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
                WritePayload(trainer, writer);
            payload = buffer.ToArray();
        }
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write((long)payload.Length);
            writer.Write(payload);
            writer.Write(SHA256.HashData(payload));
            writer.Write(Magic);
        });
    }

    /// <summary>Restores <paramref name="path"/> into <paramref name="trainer"/> (built with the same method, architecture and options).</summary>
    /// <exception cref="FileNotFoundException">No checkpoint at the path.</exception>
    /// <exception cref="InvalidDataException">Not a checkpoint, corrupt, truncated, or of another method, options or architecture; nothing was changed.</exception>
    public static void Load(Trainer trainer, string path)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        if (!File.Exists(path))
            throw new FileNotFoundException($"No checkpoint at '{Path.GetFullPath(path)}'. Train with TrainingOptions.CheckpointPath set to create one.", path);
        var payload = VerifiedPayload(path);
        using var reader = new BinaryReader(new MemoryStream(payload, writable: false), System.Text.Encoding.UTF8);
        try
        {
            ReadAndApply(trainer, reader, path);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"The checkpoint '{path}' ends before all its parts were read although its checksum matches: it was written by another version of the library. Train again.", e);
        }
    }

    private static byte[] VerifiedPayload(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8);
        string Truncated() => $"The checkpoint '{path}' is truncated ({stream.Length} bytes; it ends before all its parts). Use an earlier checkpoint or train again.";
        var magic = ReadMagic(reader);
        if (magic != Magic)
            throw new InvalidDataException(magic.StartsWith("ContrastiveNotes.TrainingCheckpoint/", StringComparison.Ordinal)
                ? $"The checkpoint '{path}' has format {magic[(magic.IndexOf('/') + 1)..]}, but this library reads format {Magic[(Magic.IndexOf('/') + 1)..]}. It was written by another version of the course library: train again."
                : $"The file '{path}' is not a ContrastiveNotes training checkpoint. Pass a file written by Trainer.SaveCheckpoint.");
        if (stream.Length - stream.Position < sizeof(long))
            throw new InvalidDataException(Truncated());
        long length = reader.ReadInt64();
        long rest = stream.Length - stream.Position;
        if (length < 0 || length > rest - HashBytes || length > int.MaxValue)
            throw new InvalidDataException(length > int.MaxValue || length < 0 ? $"The checkpoint '{path}' announces a payload of {length} bytes, which is impossible: the file is corrupt." : Truncated());
        var payload = reader.ReadBytes((int)length);
        var hash = reader.ReadBytes(HashBytes);
        if (!hash.AsSpan().SequenceEqual(SHA256.HashData(payload)))
            throw new InvalidDataException($"The checkpoint '{path}' is corrupt: its SHA-256 does not match its contents (bytes were changed after it was written). Use an earlier checkpoint or train again.");
        if (stream.Position == stream.Length || ReadMagic(reader) != Magic)
            throw new InvalidDataException(Truncated());
        return payload;
    }

    private static void WritePayload(Trainer trainer, BinaryWriter writer)
    {
        var method = trainer.Method;
        writer.Write(method.Name);
        writer.Write(trainer.Options.Optimizer.ToString());
        writer.Write(trainer.Options.Epochs);
        writer.Write(trainer.Options.Seed);
        writer.Write(trainer.GlobalStep);
        writer.Write(trainer.StepsPerEpoch);
        using (var state = trainer.AugmentationGenerator.get_state())
            state.Save(writer);
        var named = method.State;
        writer.Write(named.Count);
        foreach (var (name, tensor) in named.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            writer.Write(name);
            tensor.Save(writer);
        }
        writer.Write(method.Modules.Count);
        foreach (var module in method.Modules)
            module.save(writer);
        OptimizerFactory.SaveState(trainer.Optimizer, writer);
        trainer.History.Write(writer);
    }

    /// <summary>Reads and checks every part, then applies them; a failed check changes nothing.</summary>
    private static void ReadAndApply(Trainer trainer, BinaryReader reader, string path)
    {
        var method = trainer.Method;
        var options = trainer.Options;
        Expect(reader, method.Name, path, "the training method");
        Expect(reader, options.Optimizer.ToString(), path, "the optimizer (TrainingOptions.Optimizer)");
        int epochs = reader.ReadInt32();
        long seed = reader.ReadInt64();
        if (epochs != options.Epochs || seed != options.Seed)
            throw new InvalidDataException(
                $"The checkpoint '{path}' comes from a run with Epochs = {epochs} and Seed = {seed}, but this trainer has Epochs = {options.Epochs} and Seed = {options.Seed}. " +
                "Resume with the same options (the learning-rate schedule and data order depend on them); to train further, start a new run from the saved weights.");
        long step = reader.ReadInt64();
        long stepsPerEpoch = reader.ReadInt64();
        // The parts read here are temporaries (freed below); what the optimizer loads it keeps.
        var read = new List<Tensor>();
        try
        {
            var generatorState = TensorReader.Read(reader);
            read.Add(generatorState);
            var named = ReadState(reader);
            read.AddRange(named.Values);
            var weights = ReadModules(reader, method, path, read);
            method.LoadState(named); // checks names and shapes before it changes the method
            using (torch.no_grad())
            {
                foreach (var (module, stored) in method.Modules.Zip(weights))
                    foreach (var (name, tensor) in module.state_dict())
                        tensor.copy_(stored[name]);
            }
            OptimizerFactory.LoadState(trainer.Optimizer, reader);
            var history = TrainingHistory.Read(reader);
            trainer.AugmentationGenerator.set_state(generatorState);
            trainer.Restore(step, stepsPerEpoch, history);
        }
        finally
        {
            foreach (var tensor in read)
                tensor.Dispose();
        }
    }

    private static List<Dictionary<string, Tensor>> ReadModules(BinaryReader reader, ITrainingMethod method, string path, List<Tensor> read)
    {
        int count = reader.ReadInt32();
        if (count != method.Modules.Count)
            throw new InvalidDataException($"The checkpoint '{path}' holds {count} modules, but {method.Name} has {method.Modules.Count}. Build the same method and architecture as the saved run.");
        var weights = new List<Dictionary<string, Tensor>>();
        for (int i = 0; i < count; i++)
        {
            var stored = ModelWeights.ReadStateDict(reader, reader.BaseStream.Length);
            read.AddRange(stored.Values);
            var differences = ModelWeights.Differences(method.Modules[i].state_dict(), stored, $"module {i} of this {method.Name}", "the checkpoint");
            if (differences.Count > 0)
                throw new InvalidDataException(
                    $"The checkpoint '{path}' does not fit this {method.Name}: {string.Join("; ", differences.Take(5))}" +
                    (differences.Count > 5 ? $"; and {differences.Count - 5} more" : "") +
                    ". Build the same architecture (same classes and constructor arguments) as the saved run; nothing was loaded.");
            weights.Add(stored);
        }
        return weights;
    }

    /// <summary>The first string if it is as long as the magic (a length-prefixed string of 37 bytes), else "".</summary>
    private static string ReadMagic(BinaryReader reader)
    {
        if (reader.BaseStream.Length - reader.BaseStream.Position < Magic.Length + 1 || reader.ReadByte() != Magic.Length)
            return "";
        return System.Text.Encoding.UTF8.GetString(reader.ReadBytes(Magic.Length));
    }

    private static Dictionary<string, Tensor> ReadState(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        if (count < 0 || count > 1024)
            throw new InvalidDataException($"The checkpoint's method state has {count} entries; a method has at most a few. The file is corrupt.");
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            var name = reader.ReadString();
            state[name] = TensorReader.Read(reader);
        }
        return state;
    }

    private static void Expect(BinaryReader reader, string expected, string path, string what)
    {
        string found = reader.ReadString();
        if (found != expected)
            throw new InvalidDataException($"The checkpoint '{path}' does not match {what}: expected '{expected}', found '{found}'. Resume with the same method and options the run was started with.");
    }
}
