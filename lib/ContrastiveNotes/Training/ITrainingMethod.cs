using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ContrastiveNotes.Training;

/// <summary>
/// How one batch becomes a loss for a learning method (SimCLR, MoCo, SupCon, supervised baseline), plus what
/// the <see cref="Trainer"/> needs around it: the parameters to optimize, the modules and extra state a
/// checkpoint holds, the hook after each optimizer step (MoCo's momentum update and queue) and train/eval mode.
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
    /// Computes the scalar loss of one batch. Augmented views are drawn inside, on the images' device, from
    /// <paramref name="generator"/>.
    /// </summary>
    /// <param name="images">float32 <c>[batch, channels, height, width]</c> in [0, 1], on the method's device.</param>
    /// <param name="labels">int64 <c>[batch]</c> (ignored by self-supervised methods).</param>
    /// <param name="generator">Seeded generator on the images' device.</param>
    Tensor ComputeLoss(Tensor images, Tensor labels, Generator generator);

    /// <summary>Called after every optimizer step (e.g. MoCo's momentum update and queue update).</summary>
    void AfterOptimizerStep();

    /// <summary>Puts every module into training (true) or evaluation (false) mode.</summary>
    void SetTrainingMode(bool training);

    /// <summary>Moves every module and any extra state to <paramref name="device"/> (before the optimizer is built).</summary>
    void MoveTo(Device device);

    /// <summary>Writes state that is not a module weight (e.g. the MoCo queue) to a checkpoint.</summary>
    void SaveExtraState(BinaryWriter writer);

    /// <summary>Reads what <see cref="SaveExtraState"/> wrote.</summary>
    void LoadExtraState(BinaryReader reader);
}
