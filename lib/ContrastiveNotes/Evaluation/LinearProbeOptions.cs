namespace ContrastiveNotes.Evaluation;

/// <summary>
/// Hyper-parameters of <see cref="LinearProbe"/>. The defaults converge on standardised features of a few hundred
/// dimensions (the problem is convex and starts from zero weights, so no seed is needed).
/// </summary>
/// <param name="Steps">Full-batch Adam steps.</param>
/// <param name="LearningRate">Adam learning rate.</param>
/// <param name="L2">Coefficient λ of the penalty λ/2·‖W‖² on the weights (not the bias).</param>
public sealed record LinearProbeOptions(int Steps = 300, double LearningRate = 0.05, double L2 = 1e-4)
{
    internal void Validate()
    {
        if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "Expected at least one optimisation step.");
        if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "Expected a learning rate > 0.");
        if (!(L2 >= 0)) throw new ArgumentOutOfRangeException(nameof(L2), L2, "Expected an L2 coefficient >= 0.");
    }
}
