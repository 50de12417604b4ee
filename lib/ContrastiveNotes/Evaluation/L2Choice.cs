namespace ContrastiveNotes.Evaluation;

/// <summary>The outcome of <see cref="LinearProbeValidation.ChooseL2"/>: the chosen penalty and the evidence for it.</summary>
/// <param name="L2">The candidate with the best cross-validated accuracy (the largest such one on a tie).</param>
/// <param name="Folds">Folds actually used: the requested number, or fewer when a class has fewer examples.</param>
/// <param name="Candidates">The L2 values tried, in the order given.</param>
/// <param name="ValidationAccuracies">For each candidate, the held-out accuracy pooled over all folds, in [0, 1].</param>
public sealed record L2Choice(double L2, int Folds, IReadOnlyList<double> Candidates, IReadOnlyList<double> ValidationAccuracies)
{
    /// <inheritdoc />
    public override string ToString() => System.FormattableString.Invariant(
        $"L2 = {L2:G3} ({Folds}-fold CV: {string.Join(", ", Candidates.Zip(ValidationAccuracies, (c, a) => $"{c:G3} → {a:P1}"))})");
}
