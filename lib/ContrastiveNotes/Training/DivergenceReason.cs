namespace ContrastiveNotes.Training;

/// <summary>Why <see cref="DivergenceGuard"/> stopped a run.</summary>
public enum DivergenceReason
{
    /// <summary>The loss was NaN or infinite.</summary>
    NonFiniteLoss,

    /// <summary>The loss grew far beyond the run's first loss (more than <see cref="DivergenceGuard.ExplosionFactor"/> times, and above 1000).</summary>
    Exploded,

    /// <summary>The loss stayed the same (within <see cref="DivergenceGuard.CollapseTolerance"/>) for <see cref="DivergenceGuard.CollapseSteps"/> steps: the model maps every input to the same output.</summary>
    Collapsed,

    /// <summary>The optimizer step made a weight NaN or infinite (the weights before that step were restored).</summary>
    NonFiniteWeights,

    /// <summary>The optimizer step made the weights' norm more than <see cref="DivergenceGuard.ExplosionFactor"/> times its value at the start of the run (restored as well).</summary>
    WeightsExploded,
}
