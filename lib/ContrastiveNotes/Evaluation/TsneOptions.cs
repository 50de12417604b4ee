namespace ContrastiveNotes.Evaluation;

/// <summary>
/// Settings of <see cref="Tsne"/>; the defaults follow van der Maaten and Hinton (2008) and common practice
/// (momentum 0.5 then 0.8, early exaggeration 12 for the first 250 iterations, adaptive gains).
/// </summary>
/// <param name="Perplexity">Effective number of neighbours per point (5–50; must be below the point count).</param>
/// <param name="Iterations">Gradient steps.</param>
/// <param name="LearningRate">Step size; null picks max(count / EarlyExaggeration / 4, 50) (scikit-learn's "auto" rule, after Belkina et al. 2019), which avoids the
/// oscillation a fixed 200 causes on a few hundred points.</param>
/// <param name="EarlyExaggeration">Factor on P during the first <paramref name="ExaggerationIterations"/> steps, to form tight clusters early.</param>
/// <param name="ExaggerationIterations">Steps with exaggeration and momentum 0.5.</param>
/// <param name="Components">Output dimension (2 for plots).</param>
public sealed record TsneOptions(
    double Perplexity = 30,
    int Iterations = 1000,
    double? LearningRate = null,
    double EarlyExaggeration = 12,
    int ExaggerationIterations = 250,
    int Components = 2);
