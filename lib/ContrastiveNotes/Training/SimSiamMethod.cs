using ContrastiveNotes.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Training;

/// <summary>
/// SimSiam (Chen &amp; He 2020, "Exploring Simple Siamese Representation Learning", arXiv:2011.10566): one encoder f
/// (backbone and projection MLP) sees two augmented views (in one batch of 2B), a predictor h maps each projection
/// toward the other view's, and the loss is the symmetric negative cosine similarity with a stop-gradient on the
/// target side (eq. 3–4): <c>L = ½ D(p₁, sg(z₂)) + ½ D(p₂, sg(z₁))</c>, <c>D(p, z) = −mean cos(p, z)</c>. No negatives,
/// no momentum encoder. Without the stop-gradient, or without the predictor, it collapses (section 4.1, Fig. 2);
/// the constructor's <c>stopGradient: false</c> and a null predictor reproduce those ablations.
/// </summary>
public sealed class SimSiamMethod : TrainingMethod
{
    private readonly nn.Module<Tensor, Tensor> _encoder;
    private readonly nn.Module<Tensor, Tensor> _projector;
    private readonly nn.Module<Tensor, Tensor>? _predictor;
    private readonly Func<Tensor, Generator, Tensor> _augment;
    private readonly bool _stopGradient;

    /// <summary>Composes SimSiam.</summary>
    /// <param name="encoder">Images <c>[B, C, H, W]</c> → features <c>[B, F]</c> (the part kept).</param>
    /// <param name="projector">Features <c>[B, F]</c> → projections z <c>[B, D]</c>.</param>
    /// <param name="predictor">Projections <c>[B, D]</c> → predictions p <c>[B, D]</c> (e.g. <c>PredictionHead.SimSiam(D)</c>); null: p = z (the ablation that collapses).</param>
    /// <param name="augment">Random augmentation of a batch, on the images' device.</param>
    /// <param name="stopGradient">Detach the targets (true, the method); false is the ablation that collapses.</param>
    public SimSiamMethod(nn.Module<Tensor, Tensor> encoder, nn.Module<Tensor, Tensor> projector, nn.Module<Tensor, Tensor>? predictor,
        Func<Tensor, Generator, Tensor> augment, bool stopGradient = true)
        : base(new[] { encoder, projector, predictor }.OfType<nn.Module>())
    {
        _encoder = encoder ?? throw new ArgumentNullException(nameof(encoder));
        _projector = projector ?? throw new ArgumentNullException(nameof(projector));
        _predictor = predictor;
        _augment = augment ?? throw new ArgumentNullException(nameof(augment));
        _stopGradient = stopGradient;
    }

    /// <inheritdoc />
    public override string Name => "SimSiam";

    /// <summary>The encoder being trained (the part kept for downstream tasks).</summary>
    public nn.Module<Tensor, Tensor> Encoder => _encoder;

    /// <inheritdoc />
    public override Tensor ComputeLoss(Tensor images, Tensor labels, Generator generator)
    {
        RequireImageBatch(images, Name);
        var (z1, z2) = ProjectTwoViews(_encoder, _projector, _augment, images, generator);
        var p1 = _predictor is null ? z1 : _predictor.call(z1);
        var p2 = _predictor is null ? z2 : _predictor.call(z2);
        return 0.5 * NegativeCosineSimilarityLoss.Between(p1, Target(z2)) + 0.5 * NegativeCosineSimilarityLoss.Between(p2, Target(z1));
    }

    private Tensor Target(Tensor z) => _stopGradient ? z.detach() : z;
}
