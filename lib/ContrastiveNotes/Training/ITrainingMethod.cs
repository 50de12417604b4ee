using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ContrastiveNotes.Training;

/// <summary>
/// How one batch becomes a loss for a learning method (SimCLR, MoCo, SupCon, supervised baseline), plus what
/// the <see cref="Trainer"/> needs around it: the parameters to optimize, the modules whose weights a checkpoint
/// holds, the method's other state by name (e.g. the MoCo queue; the checkpoint serialises it) and train/eval mode.
/// </summary>
public interface ITrainingMethod
{
    /// <summary>Short name shown in progress lines and stored in checkpoints (e.g. "SimCLR").</summary>
    string Name { get; }

    /// <summary>Every module whose weights a checkpoint must hold (trainable or not), in a fixed order.</summary>
    IReadOnlyList<nn.Module> Modules { get; }

    /// <summary>The parameters the optimizer updates, with their names (used to group weight decay).</summary>
    IEnumerable<(string Name, Parameter Parameter)> TrainableParameters { get; }

    /// <summary>
    /// The step of one batch: its scalar loss and the method's follow-up after the optimizer step. Augmented views
    /// are drawn inside, on the images' device, from <paramref name="generator"/>.
    /// </summary>
    /// <param name="images">float32 <c>[batch, channels, height, width]</c> in [0, 1], on the method's device.</param>
    /// <param name="labels">int64 <c>[batch]</c> (ignored by self-supervised methods).</param>
    /// <param name="generator">Seeded generator on the images' device.</param>
    TrainingStep Step(Tensor images, Tensor labels, Generator generator);

    /// <summary>Puts every module into training (true) or evaluation (false) mode.</summary>
    void SetTrainingMode(bool training);

    /// <summary>Moves every module and any extra state to <paramref name="device"/> (before the optimizer is built).</summary>
    void MoveTo(Device device);

    /// <summary>
    /// State that is not a module weight, by name (tensors; a scalar is a 0-dimensional tensor), e.g. the MoCo
    /// queue's keys and write position. Empty for most methods.
    /// </summary>
    IReadOnlyDictionary<string, Tensor> State { get; }

    /// <summary>Restores what <see cref="State"/> held (names and shapes checked; the message says what differs).</summary>
    /// <exception cref="InvalidDataException">The names or shapes are not this method's.</exception>
    void LoadState(IReadOnlyDictionary<string, Tensor> state);
}
