namespace ContrastiveNotes.Evaluation;

/// <summary>One point of a label-efficiency curve: accuracy reached with <paramref name="PerClass"/> labelled examples per class.</summary>
/// <param name="PerClass">Labelled examples per class (<see cref="LabelEfficiency.All"/> means every training label).</param>
/// <param name="Accuracy">Test accuracy in [0, 1].</param>
/// <param name="LabelledCount">Total labelled examples actually used (classes smaller than <paramref name="PerClass"/> give all they have).</param>
/// <param name="ProbeL2">The linear probe's L2 penalty for this point (null for curves that are not probes).</param>
public sealed record LabelEfficiencyPoint(int PerClass, double Accuracy, long LabelledCount, double? ProbeL2 = null)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{(PerClass == LabelEfficiency.All ? "all" : PerClass.ToString(System.Globalization.CultureInfo.InvariantCulture))} per class ({LabelledCount} labels): {Accuracy:P2}";
}
