using System.Text.Json;
using System.Text.Json.Serialization;
using ContrastiveNotes.Evaluation;
using ContrastiveNotes.IO;

namespace ContrastiveNotes.Models;

/// <summary>
/// <c>data/pretrained/manifest.json</c>: what each course encoder is (file, SHA-256, architecture), how it was made
/// (method, recipe, epochs, training images, wall time, commit, command) and what it measures on the
/// <see cref="StandardProtocol"/>, plus the protocol's baselines (raw pixels, an untrained encoder) measured the same
/// way. Written by <c>contrastive-pretrain</c>; read by <see cref="PretrainedEncoders"/> and the README generator.
/// </summary>
public sealed record PretrainedManifest
{
    /// <summary>The format this library reads and writes.</summary>
    public const int CurrentFormat = 1;

    /// <summary>Format number (<see cref="CurrentFormat"/>).</summary>
    public int Format { get; init; } = CurrentFormat;

    /// <summary>The encoders, by name (e.g. "simclr").</summary>
    public IReadOnlyList<PretrainedEncoderEntry> Encoders { get; init; } = Array.Empty<PretrainedEncoderEntry>();

    /// <summary>Raw pixels and the untrained encoder through the same protocol.</summary>
    public IReadOnlyList<StandardProtocolResult> Baselines { get; init; } = Array.Empty<StandardProtocolResult>();

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The entry called <paramref name="name"/>, or null.</summary>
    public PretrainedEncoderEntry? Find(string name) => Encoders.FirstOrDefault(e => e.Name == name);

    /// <summary>This manifest with <paramref name="entry"/> added or replacing the entry of the same name (order kept).</summary>
    public PretrainedManifest With(PretrainedEncoderEntry entry) => this with
    {
        Encoders = Find(entry.Name) is null ? Encoders.Append(entry).ToList()
            : Encoders.Select(e => e.Name == entry.Name ? entry : e).ToList(),
    };

    /// <summary>Reads a manifest; a missing file is an empty manifest only when <paramref name="missingIsEmpty"/>.</summary>
    /// <exception cref="FileNotFoundException">No file and <paramref name="missingIsEmpty"/> is false.</exception>
    /// <exception cref="InvalidDataException">The file is not a manifest of this format.</exception>
    public static PretrainedManifest Read(string path, bool missingIsEmpty = false)
    {
        if (!File.Exists(path))
            return missingIsEmpty ? new PretrainedManifest()
                : throw new FileNotFoundException($"No pretrained-encoder manifest at '{path}'. The repository ships it in data/pretrained/; " +
                    "restore it with 'git checkout -- data/pretrained' or make the encoders with contrastive-pretrain (data/pretrained/README.md).", path);
        PretrainedManifest? manifest;
        try { manifest = JsonSerializer.Deserialize<PretrainedManifest>(File.ReadAllText(path), Json); }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not a valid pretrained-encoder manifest: {e.Message} Restore it with 'git checkout -- data/pretrained'.", e);
        }
        if (manifest is null || manifest.Format != CurrentFormat)
            throw new InvalidDataException($"'{path}' has manifest format {manifest?.Format}, but this library reads format {CurrentFormat}.");
        return manifest;
    }

    /// <summary>Writes the manifest atomically (a reader never sees half a file).</summary>
    public void Write(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");
}

/// <summary>One pretrained encoder of the manifest.</summary>
/// <param name="Name">Short name and file stem (e.g. "simclr" for simclr.bin).</param>
/// <param name="Method">Training method as the course names it (e.g. "SimCLR", "MoCo v2").</param>
/// <param name="File">Weights file name, in the manifest's folder (<see cref="ModelWeights"/> format).</param>
/// <param name="Sha256">SHA-256 of the weights file, lower-case hex.</param>
/// <param name="Architecture">The encoder: "SmallConvNet(inChannels, featureDim, width)".</param>
/// <param name="InChannels">Image channels.</param>
/// <param name="FeatureDim">Feature size.</param>
/// <param name="Width">Channels of the first block.</param>
/// <param name="Recipe">The hyper-parameters, as "name=value" pairs.</param>
/// <param name="Epochs">Epochs trained.</param>
/// <param name="TrainImages">Training images per epoch.</param>
/// <param name="WallSeconds">Training wall time (all sessions of a resumed run).</param>
/// <param name="Machine">Where it was trained (cores, precision).</param>
/// <param name="Commit">The repository commit of the code that trained it.</param>
/// <param name="Command">The command that made it.</param>
/// <param name="Results">Its standard-protocol results.</param>
public sealed record PretrainedEncoderEntry(string Name, string Method, string File, string Sha256, string Architecture,
    int InChannels, int FeatureDim, int Width, IReadOnlyDictionary<string, string> Recipe, int Epochs, long TrainImages,
    double WallSeconds, string Machine, string Commit, string Command, StandardProtocolResult Results);
