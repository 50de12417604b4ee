using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Augmentations;

/// <summary>Applies augmentations one after the other, all drawing from the same generator.</summary>
public sealed class Compose : IBatchAugmentation
{
    /// <summary>Creates the pipeline in application order.</summary>
    public Compose(params IBatchAugmentation[] steps)
    {
        if (steps.Length == 0) throw new ArgumentException("Compose needs at least one augmentation.", nameof(steps));
        Steps = steps;
    }

    /// <summary>The augmentations in application order.</summary>
    public IReadOnlyList<IBatchAugmentation> Steps { get; }

    /// <inheritdoc/>
    public Tensor Apply(Tensor images, Generator generator)
    {
        using var scope = torch.NewDisposeScope();
        var current = images;
        foreach (var step in Steps)
        {
            var next = step.Apply(current, generator);
            // Free each intermediate batch as soon as the next step has read it: fewer live batch-sized buffers
            // means fewer fresh pages to fault in on every call (see ColorJitter).
            if (!ReferenceEquals(current, images) && !ReferenceEquals(next, current)) current.Dispose();
            current = next;
        }
        return (ReferenceEquals(current, images) ? images.alias() : current).MoveToOuterDisposeScope();
    }

    /// <summary>One line per step, numbered, so notebooks can print the pipeline.</summary>
    public string Describe() => "Compose(\n" + string.Join(",\n", Steps.Select((s, i) => $"  {i + 1}. {s.Describe()}")) + "\n)";

    /// <inheritdoc/>
    public override string ToString() => Describe();
}
