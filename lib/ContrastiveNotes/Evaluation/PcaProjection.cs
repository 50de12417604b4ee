using static TorchSharp.torch;

namespace ContrastiveNotes.Evaluation;

/// <summary>Result of <see cref="Pca.Project"/>.</summary>
/// <param name="Points">Projected points <c>[count, components]</c>.</param>
/// <param name="Components">Principal directions as rows <c>[components, dim]</c>, unit length, largest variance first.</param>
/// <param name="ExplainedVarianceRatio">Fraction of the total variance each component explains.</param>
public sealed record PcaProjection(Tensor Points, Tensor Components, IReadOnlyList<double> ExplainedVarianceRatio);
