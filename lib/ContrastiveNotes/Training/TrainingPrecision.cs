namespace ContrastiveNotes.Training;

/// <summary>
/// The number format of a training step's forward and backward pass (<see cref="TrainingOptions.Precision"/>).
/// The weights, their gradients and the optimizer state stay float32 in every case; see <see cref="MixedPrecision"/>.
/// </summary>
/// <remarks>
/// There is no float16 setting: float16's 5 exponent bits make small gradients underflow unless the loss is scaled
/// (Micikevicius et al. 2018, arXiv:1710.03740), which the trainer does not do; bfloat16 needs no scaling and runs on
/// the same GPUs (Ampere and later).
/// </remarks>
public enum TrainingPrecision
{
    /// <summary>Everything in float32 (the default).</summary>
    Float32,

    /// <summary>
    /// Convolutions and linear layers in bfloat16 (8 exponent bits like float32, 8 significand bits): no loss
    /// scaling needed. Fast on CPUs with AVX512-BF16 or AMX and on NVIDIA GPUs from Ampere on; on other CPUs it is
    /// correct but can be slower than float32.
    /// </summary>
    BFloat16,
}
