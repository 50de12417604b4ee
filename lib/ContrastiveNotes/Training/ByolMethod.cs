using ContrastiveNotes.Losses;
using ContrastiveNotes.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Training;

/// <summary>
/// BYOL (Grill et al. 2020, "Bootstrap Your Own Latent", arXiv:2006.07733): an online network (encoder, projector,
/// predictor) learns to predict a target network's projection of the other view; the target is an exponential
/// moving average of the online encoder and projector (<see cref="MomentumEncoder"/>) and gets no gradient. The loss
/// (eq. 2, symmetrised): <c>L = ‖q̂₁ − ẑ′₂‖² + ‖q̂₂ − ẑ′₁‖² = (2 − 2 cos(q₁, z′₂)) + (2 − 2 cos(q₂, z′₁))</c>, batch means.
/// After every optimizer step the target moves with the cosine momentum schedule of section 3.2,
/// <c>τ_k = 1 − (1 − τ_base)(cos(πk/K) + 1)/2</c>, from τ_base (0.996) at step 0 to 1 at the last step K.
/// </summary>
public sealed class ByolMethod : TrainingMethod
{
    private readonly nn.Module<Tensor, Tensor> _encoder;
    private readonly nn.Module<Tensor, Tensor> _online;
    private readonly nn.Module<Tensor, Tensor> _predictor;
    private readonly MomentumEncoder _target;
    private readonly Func<Tensor, Generator, Tensor> _augment;
    private long _step;

    /// <summary>Composes BYOL.</summary>
    /// <param name="createEncoder">Builds the encoder (images <c>[B, C, H, W]</c> → <c>[B, F]</c>); called for the online and the target network.</param>
    /// <param name="createProjector">Builds the projector (<c>[B, F]</c> → <c>[B, D]</c>); called twice likewise.</param>
    /// <param name="predictor">The online predictor <c>[B, D]</c> → <c>[B, D]</c> (e.g. <c>PredictionHead.Byol(D, hidden)</c>).</param>
    /// <param name="augment">Random augmentation of a batch, on the images' device.</param>
    /// <param name="totalSteps">K, the optimizer steps of the whole run (epochs × batches per epoch): the schedule reaches 1 there.</param>
    /// <param name="baseMomentum">τ_base (0.996 in the paper).</param>
    public ByolMethod(Func<nn.Module<Tensor, Tensor>> createEncoder, Func<nn.Module<Tensor, Tensor>> createProjector,
        nn.Module<Tensor, Tensor> predictor, Func<Tensor, Generator, Tensor> augment, long totalSteps, double baseMomentum = 0.996)
        : this(OnlineWithMomentumCopy(createEncoder, createProjector), predictor, augment, totalSteps, baseMomentum)
    {
    }

    private ByolMethod((nn.Module<Tensor, Tensor> Encoder, nn.Module<Tensor, Tensor> Online, MomentumEncoder Target) parts,
        nn.Module<Tensor, Tensor> predictor, Func<Tensor, Generator, Tensor> augment, long totalSteps, double baseMomentum)
        : base(new nn.Module[] { parts.Online, predictor ?? throw new ArgumentNullException(nameof(predictor)) }, new nn.Module[] { parts.Target })
    {
        if (totalSteps < 1) throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "BYOL's momentum schedule needs the run's number of steps (at least 1).");
        if (!(baseMomentum >= 0 && baseMomentum <= 1)) throw new ArgumentOutOfRangeException(nameof(baseMomentum), baseMomentum, "τ_base must be in [0, 1] (the paper: 0.996).");
        _encoder = parts.Encoder;
        _online = parts.Online;
        _target = parts.Target;
        _predictor = predictor;
        _augment = augment ?? throw new ArgumentNullException(nameof(augment));
        TotalSteps = totalSteps;
        BaseMomentum = baseMomentum;
    }

    /// <inheritdoc />
    public override string Name => "BYOL";

    /// <summary>The online encoder (the part kept for downstream tasks).</summary>
    public nn.Module<Tensor, Tensor> Encoder => _encoder;

    /// <summary>The target network (encoder and projector), moved by the momentum schedule.</summary>
    public MomentumEncoder Target => _target;

    /// <summary>K, the steps of the run.</summary>
    public long TotalSteps { get; }

    /// <summary>τ_base.</summary>
    public double BaseMomentum { get; }

    /// <summary>Optimizer steps taken so far (part of the checkpointed state).</summary>
    public long StepsTaken => _step;

    /// <summary>The momentum after step <paramref name="step"/> of <paramref name="totalSteps"/>: <c>1 − (1 − τ_base)(cos(π k / K) + 1)/2</c>.</summary>
    public static double Momentum(long step, long totalSteps, double baseMomentum = 0.996) =>
        1 - (1 - baseMomentum) * (Math.Cos(Math.PI * Math.Min(step, totalSteps) / totalSteps) + 1) / 2;

    /// <inheritdoc />
    public override Tensor ComputeLoss(Tensor images, Tensor labels, Generator generator) => Step(images, labels, generator).Loss;

    /// <summary>The symmetrised BYOL loss; after the optimizer step the target moves by the scheduled momentum.</summary>
    public override TrainingStep Step(Tensor images, Tensor labels, Generator generator)
    {
        RequireImageBatch(images, Name);
        var views = torch.cat(new[] { AugmentWithoutGradient(_augment, images, generator), AugmentWithoutGradient(_augment, images, generator) }, 0);
        var predictions = _predictor.call(_online.call(views)).chunk(2, 0);
        var targets = _target.call(views).chunk(2, 0); // no graph: the target gets no gradient
        var loss = Regression(predictions[0], targets[1]) + Regression(predictions[1], targets[0]);
        return new TrainingStep(loss, () =>
        {
            _target.Update(_online, Momentum(_step, TotalSteps, BaseMomentum));
            _step++;
        });
    }

    /// <summary>The step counter (<c>momentum.step</c>, int64 scalar), so a resumed run continues the schedule.</summary>
    public override IReadOnlyDictionary<string, Tensor> State => new Dictionary<string, Tensor> { ["momentum.step"] = torch.tensor(_step) };

    /// <inheritdoc />
    public override void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Count != 1 || !state.TryGetValue("momentum.step", out var step) || step.numel() != 1)
            throw new InvalidDataException($"BYOL expects its step counter (momentum.step) in the checkpoint, but found {(state.Count == 0 ? "no state" : string.Join(", ", state.Keys))}. Was it written by another training method?");
        _step = step.item<long>();
    }

    /// <summary><c>‖q/‖q‖ − z/‖z‖‖² = 2 − 2 cos(q, z)</c>, batch mean: <c>2 + 2 D(q, z)</c> with SimSiam's D.</summary>
    private static Tensor Regression(Tensor q, Tensor z) => 2 + 2 * NegativeCosineSimilarityLoss.Between(q, z);
}
