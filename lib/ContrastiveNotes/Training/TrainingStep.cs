using static TorchSharp.torch;

namespace ContrastiveNotes.Training;

/// <summary>
/// One batch's step of a method: its scalar loss and what the method does once the optimizer has stepped on it
/// (MoCo: the momentum update and enqueuing this batch's keys). The follow-up belongs to this step object, so a
/// loss computed outside a <see cref="Trainer"/> and never stepped on changes nothing.
/// </summary>
/// <param name="Loss">The scalar loss (0-dimensional or one element).</param>
/// <param name="AfterOptimizerStep">Called by the trainer right after the optimizer step, inside the step's dispose scope.</param>
public sealed record TrainingStep(Tensor Loss, Action? AfterOptimizerStep = null);
