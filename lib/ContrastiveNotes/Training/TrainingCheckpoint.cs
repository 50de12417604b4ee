using ContrastiveNotes.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Training;

/// <summary>
/// The training checkpoint format, in one place: what a resumed run needs to continue exactly where a run stopped.
/// In order: a magic line, the method, optimizer, epochs and seed it was started with (checked on load), the step
/// and steps per epoch, the augmentation generator's state, every module's weights, the optimizer state, the
/// method's named <see cref="ITrainingMethod.State"/> (name + tensor per entry), the <see cref="TrainingHistory"/>
/// and the magic line again. Written atomically (<see cref="AtomicFile"/>).
/// </summary>
public static class TrainingCheckpoint
{
    /// <summary>The first and last string of a checkpoint; the number is the format version.</summary>
    public const string Magic = "ContrastiveNotes.TrainingCheckpoint/2";

    /// <summary>Writes the state of <paramref name="trainer"/> to <paramref name="path"/>.</summary>
    public static void Save(Trainer trainer, string path)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        if (!DivergenceGuard.AllFinite(trainer.Method.Modules))
            throw new InvalidOperationException($"Refusing to write the checkpoint '{path}': {trainer.Method.Name}'s weights are not all finite. The previous checkpoint is kept; lower the learning rate and train again.");
        AtomicFile.Write(path, stream =>
        {
            using var scope = torch.NewDisposeScope(); // frees the state tensors a method makes for the occasion
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            Write(trainer, writer);
        });
    }

    /// <summary>Restores <paramref name="path"/> into <paramref name="trainer"/> (built with the same method, architecture and options).</summary>
    /// <exception cref="FileNotFoundException">No checkpoint at the path.</exception>
    /// <exception cref="InvalidDataException">The file is not a checkpoint of this method and options, or is truncated.</exception>
    public static void Load(Trainer trainer, string path)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        if (!File.Exists(path))
            throw new FileNotFoundException($"No checkpoint at '{Path.GetFullPath(path)}'. Train with TrainingOptions.CheckpointPath set to create one.", path);
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8);
        try
        {
            Read(trainer, reader, path);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"The checkpoint '{path}' is truncated (it ends before all its parts were read). Use an earlier checkpoint or train again.", e);
        }
    }

    private static void Write(Trainer trainer, BinaryWriter writer)
    {
        var method = trainer.Method;
        writer.Write(Magic);
        writer.Write(method.Name);
        writer.Write(trainer.Options.Optimizer.ToString());
        writer.Write(trainer.Options.Epochs);
        writer.Write(trainer.Options.Seed);
        writer.Write(trainer.GlobalStep);
        writer.Write(trainer.StepsPerEpoch);
        using (var state = trainer.AugmentationGenerator.get_state())
            state.Save(writer);
        writer.Write(method.Modules.Count);
        foreach (var module in method.Modules)
            module.save(writer);
        OptimizerFactory.SaveState(trainer.Optimizer, writer);
        var named = method.State;
        writer.Write(named.Count);
        foreach (var (name, tensor) in named.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            writer.Write(name);
            tensor.Save(writer);
        }
        trainer.History.Write(writer);
        writer.Write(Magic);
    }

    private static void Read(Trainer trainer, BinaryReader reader, string path)
    {
        var method = trainer.Method;
        var options = trainer.Options;
        var magic = ReadMagic(reader);
        if (magic != Magic)
            throw new InvalidDataException(magic.StartsWith("ContrastiveNotes.TrainingCheckpoint/", StringComparison.Ordinal)
                ? $"The checkpoint '{path}' has format {magic[(magic.IndexOf('/') + 1)..]}, but this library reads format {Magic[(Magic.IndexOf('/') + 1)..]}. It was written by another version of the course library: train again."
                : $"The file '{path}' is not a ContrastiveNotes training checkpoint. Pass a file written by Trainer.SaveCheckpoint.");
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
        using (var state = TensorExtensionMethods.Load(reader))
            trainer.AugmentationGenerator.set_state(state);
        int modules = reader.ReadInt32();
        if (modules != method.Modules.Count)
            throw new InvalidDataException($"The checkpoint '{path}' holds {modules} modules, but {method.Name} has {method.Modules.Count}. Build the same method and architecture as the saved run.");
        foreach (var module in method.Modules)
            module.load(reader);
        OptimizerFactory.LoadState(trainer.Optimizer, reader);
        var named = ReadState(reader);
        try
        {
            method.LoadState(named);
        }
        finally
        {
            foreach (var tensor in named.Values)
                tensor.Dispose();
        }
        var history = TrainingHistory.Read(reader);
        Expect(reader, Magic, path, "the end marker");
        trainer.Restore(step, stepsPerEpoch, history);
    }

    /// <summary>The first string if it is as long as the magic (a length-prefixed string of 37 bytes), else "".</summary>
    private static string ReadMagic(BinaryReader reader)
    {
        if (reader.BaseStream.Length < Magic.Length + 1 || reader.ReadByte() != Magic.Length)
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
            state[name] = TensorExtensionMethods.Load(reader);
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
