using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Training;

/// <summary>
/// The trainer's watch over a run: after each loss it stops a run whose loss is not finite, has exploded (more than
/// <see cref="ExplosionFactor"/> times the run's first loss and above 1000) or has collapsed (the same loss, to a
/// relative 1e-4, for <see cref="CollapseSteps"/> steps in a row while the learning rate is at least 1% of its peak:
/// augmentations and different batches make every step's loss differ, so only a model that maps every input to one
/// point does that, e.g. SimCLR pinned at ln(2N − 1) or SimSiam without its stop-gradient at −1); after each optimizer step it
/// puts back the weights from before the step if the step made any weight non-finite or grew the weights' norm
/// (all parameters and buffers together) beyond <see cref="ExplosionFactor"/> times its value when the run started
/// (an absurd learning rate with SGD keeps the loss finite at chance level while the weights grow without bound).
/// It stops by throwing
/// <see cref="TrainingDivergedException"/>, before anything of the bad step is kept or checkpointed.
/// </summary>
public sealed class DivergenceGuard(string method, string? checkpointPath, bool stopOnCollapse = true)
{
    private double? _startNorm;

    /// <summary>How many times the first loss a loss may reach.</summary>
    public const double ExplosionFactor = 1000;

    /// <summary>Steps of an unchanged loss that count as collapse.</summary>
    public const int CollapseSteps = 25;

    /// <summary>How many of the last step losses the exception shows.</summary>
    public const int LossesShown = 5;

    /// <summary>Relative band within which a loss counts as unchanged.</summary>
    public const double CollapseTolerance = 1e-4;

    /// <summary>Throws when <paramref name="loss"/>, the loss of 1-based step <paramref name="step"/>, shows divergence.</summary>
    /// <param name="loss">This step's loss.</param>
    /// <param name="step">The step (1-based over the run).</param>
    /// <param name="epoch">Its epoch (1-based).</param>
    /// <param name="previousLosses">The run's earlier step losses, oldest first.</param>
    /// <param name="learningRateIsSignificant">False at the end of a schedule (learning rate below 1% of its peak), where an unchanged loss is no sign of collapse.</param>
    public void CheckLoss(double loss, long step, int epoch, IReadOnlyList<double> previousLosses, bool learningRateIsSignificant = true)
    {
        ArgumentNullException.ThrowIfNull(previousLosses);
        DivergenceReason? reason = null;
        if (!double.IsFinite(loss))
            reason = DivergenceReason.NonFiniteLoss;
        else if (previousLosses.Count > 0 && Math.Abs(loss) > Math.Max(1000, ExplosionFactor * Math.Abs(previousLosses[0])))
            reason = DivergenceReason.Exploded;
        else if (stopOnCollapse && learningRateIsSignificant && previousLosses.Count >= CollapseSteps
                 && previousLosses.Skip(previousLosses.Count - CollapseSteps).All(l => Math.Abs(l - loss) <= CollapseTolerance * Math.Abs(loss)))
            reason = DivergenceReason.Collapsed;
        if (reason is { } why)
            throw new TrainingDivergedException(method, step, epoch, loss, Recent(previousLosses), checkpointPath, why);
    }

    /// <summary>Copies of every parameter and buffer of <paramref name="modules"/> (in the current dispose scope).</summary>
    public static Tensor[] Snapshot(IEnumerable<nn.Module> modules)
    {
        using var noGrad = torch.no_grad();
        return Tensors(modules).Select(t => t.detach().clone()).ToArray();
    }

    /// <summary>Records the weights' norm the run starts from (call before the first step of a Fit).</summary>
    public void Start(IEnumerable<nn.Module> modules) => _startNorm ??= Norm(modules);

    /// <summary>
    /// After an optimizer step: when a weight or buffer is not finite, or their norm exploded, copies
    /// <paramref name="before"/> back and throws.
    /// </summary>
    public void CheckWeights(IReadOnlyList<nn.Module> modules, Tensor[] before, long step, int epoch, double loss, IReadOnlyList<double> previousLosses)
    {
        double norm = Norm(modules);
        DivergenceReason? reason = !double.IsFinite(norm) ? DivergenceReason.NonFiniteWeights
            : norm > Math.Max(1000, ExplosionFactor * (_startNorm ?? norm)) ? DivergenceReason.WeightsExploded
            : null;
        if (reason is not { } why)
            return;
        using (torch.no_grad())
        {
            foreach (var (tensor, saved) in Tensors(modules).Zip(before))
                tensor.copy_(saved);
        }
        throw new TrainingDivergedException(method, step, epoch, loss, Recent(previousLosses), checkpointPath, why);
    }

    /// <summary>The L2 norm of every floating parameter and buffer together (NaN or ∞ when one is not finite).</summary>
    public static double Norm(IEnumerable<nn.Module> modules)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var squares = Tensors(modules).Where(t => torch.is_floating_point(t)).Select(t => t.to_type(ScalarType.Float64).square().sum()).ToArray();
        return squares.Length == 0 ? 0 : Math.Sqrt(torch.stack(squares).sum().item<double>());
    }

    /// <summary>True when every parameter and buffer of <paramref name="modules"/> is finite.</summary>
    public static bool AllFinite(IEnumerable<nn.Module> modules)
    {
        using var scope = torch.NewDisposeScope();
        var checks = Tensors(modules).Where(t => torch.is_floating_point(t)).Select(t => t.isfinite().all()).ToArray();
        return checks.Length == 0 || torch.stack(checks).all().item<bool>();
    }

    private static IEnumerable<Tensor> Tensors(IEnumerable<nn.Module> modules) =>
        modules.SelectMany(m => m.parameters().Cast<Tensor>().Concat(m.buffers()));

    private static double[] Recent(IReadOnlyList<double> losses) => losses.Skip(Math.Max(0, losses.Count - LossesShown)).ToArray();
}
