namespace ContrastiveNotes.Visualization;

/// <summary>One named line of a chart, e.g. the loss of one training run per epoch.</summary>
/// <param name="Name">Legend name.</param>
/// <param name="X">Horizontal positions (epochs, steps).</param>
/// <param name="Y">Values, same length as <paramref name="X"/>.</param>
public sealed record CurveSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)
{
    /// <summary>A series whose x values are <paramref name="start"/>, <paramref name="start"/>+1, ... (e.g. epochs from 1).</summary>
    public static CurveSeries FromValues(string name, IEnumerable<double> values, double start = 1)
    {
        var y = values.ToArray();
        return new CurveSeries(name, y.Select((_, i) => start + i).ToArray(), y);
    }
}
