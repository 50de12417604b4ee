using TorchSharp;
using TorchSharp.Modules;

namespace ContrastiveNotes.Training;

/// <summary>
/// Builds the optimizer <see cref="TrainingOptions.Optimizer"/> names, with weight decay only on the
/// parameters that should get it (multi-dimensional weights; biases and normalization parameters are
/// one-dimensional and excluded when <see cref="TrainingOptions.ExcludeBiasAndNormFromWeightDecay"/> is set).
/// </summary>
public static class OptimizerFactory
{
    /// <summary>True for parameters that get no weight decay: one-dimensional ones (biases, BatchNorm/LayerNorm).</summary>
    public static bool IsBiasOrNorm(Parameter parameter) => parameter.dim() <= 1;

    /// <summary>Creates the optimizer for <paramref name="parameters"/> as <paramref name="options"/> say.</summary>
    public static torch.optim.Optimizer Create(TrainingOptions options, IEnumerable<Parameter> parameters)
    {
        options.Validate();
        var all = parameters.ToArray();
        if (all.Length == 0)
            throw new ArgumentException("The training method exposes no trainable parameters; check that its modules have parameters with requires_grad = true.", nameof(parameters));
        Func<Parameter, bool> excluded = options.ExcludeBiasAndNormFromWeightDecay ? IsBiasOrNorm : _ => false;
        var decayed = all.Where(p => !excluded(p)).ToArray();
        var notDecayed = all.Where(excluded).ToArray();
        double lr = options.LearningRate, wd = options.WeightDecay;
        return options.Optimizer switch
        {
            OptimizerKind.Sgd => torch.optim.SGD(NonEmpty(
                new SGD.ParamGroup(decayed, lr, momentum: options.Momentum, weight_decay: wd),
                new SGD.ParamGroup(notDecayed, lr, momentum: options.Momentum, weight_decay: 0)), lr, options.Momentum),
            OptimizerKind.Adam => torch.optim.Adam(NonEmpty(
                new Adam.ParamGroup(decayed, lr, weight_decay: wd),
                new Adam.ParamGroup(notDecayed, lr, weight_decay: 0)), lr),
            OptimizerKind.AdamW => torch.optim.AdamW(NonEmpty(
                new AdamW.ParamGroup(decayed, lr, weight_decay: wd),
                new AdamW.ParamGroup(notDecayed, lr, weight_decay: 0)), lr),
            OptimizerKind.Lars => new Lars(all, lr, options.Momentum, wd, options.LarsTrustCoefficient, excluded),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Optimizer, "Unknown optimizer kind."),
        };
    }

    private static IEnumerable<T> NonEmpty<T>(params T[] groups) where T : ParamGroup =>
        groups.Where(g => g.Parameters.Any()).ToArray();

    /// <summary>Sets the learning rate of every parameter group of <paramref name="optimizer"/>.</summary>
    public static void SetLearningRate(torch.optim.Optimizer optimizer, double learningRate)
    {
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = learningRate;
    }

    /// <summary>Writes the optimizer's state (momentum buffers, Adam moments, step counts) for a checkpoint.</summary>
    public static void SaveState(torch.optim.Optimizer optimizer, BinaryWriter writer)
    {
        switch (optimizer)
        {
            case Lars lars: lars.SaveState(writer); break;
            case OptimizerHelper helper: helper.save_state_dict(writer); break;
            default: throw new NotSupportedException($"Cannot save the state of optimizer type {optimizer.GetType().Name}; use one of OptimizerKind.");
        }
    }

    /// <summary>Reads what <see cref="SaveState"/> wrote into <paramref name="optimizer"/>.</summary>
    public static void LoadState(torch.optim.Optimizer optimizer, BinaryReader reader)
    {
        switch (optimizer)
        {
            case Lars lars: lars.LoadState(reader); break;
            case OptimizerHelper helper: helper.load_state_dict(reader); break;
            default: throw new NotSupportedException($"Cannot load the state of optimizer type {optimizer.GetType().Name}; use one of OptimizerKind.");
        }
    }
}
