namespace ContrastiveNotes.Benchmarks;

/// <summary>
/// What the benchmarks of one run share: the summary rows (one per target of issue 8) that Program prints at the end,
/// and values one benchmark measures that another reports against (e.g. the training step time).
/// </summary>
internal sealed class BenchmarkContext
{
    private readonly List<SummaryRow> rows = new();

    /// <summary>The rows recorded so far, in order.</summary>
    public IReadOnlyList<SummaryRow> Rows => rows;

    /// <summary>Records one measured figure next to its target.</summary>
    /// <param name="area">e.g. "training step".</param>
    /// <param name="metric">What was measured, with its workload.</param>
    /// <param name="measured">The figure as text (with its unit).</param>
    /// <param name="target">The target as text (e.g. "<= 1.05").</param>
    /// <param name="met">Whether the target is met; null when there is no target or nothing was measured.</param>
    public void Add(string area, string metric, string measured, string target, bool? met) =>
        rows.Add(new SummaryRow(area, metric, measured, target, met));

    /// <summary>Milliseconds of one C# SimCLR step on the Fashion-MNIST SmallConvNet workload (2x256 views), when measured.</summary>
    public double? SmallConvStepMilliseconds { get; set; }
}

/// <summary>One line of the summary table.</summary>
internal sealed record SummaryRow(string Area, string Metric, string Measured, string Target, bool? Met);
