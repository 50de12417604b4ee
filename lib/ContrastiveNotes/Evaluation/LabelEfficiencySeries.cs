namespace ContrastiveNotes.Evaluation;

/// <summary>A named label-efficiency curve (e.g. "SimCLR + linear probe", "supervised from scratch") for charting side by side.</summary>
/// <param name="Name">Legend name of the method.</param>
/// <param name="Points">Points ordered by labelled examples per class.</param>
public sealed record LabelEfficiencySeries(string Name, IReadOnlyList<LabelEfficiencyPoint> Points);
