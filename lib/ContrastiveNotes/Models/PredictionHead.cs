using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ContrastiveNotes.Models;

/// <summary>
/// The predictor of BYOL and SimSiam: a two-layer MLP Linear - BatchNorm1d - ReLU - Linear applied on the online
/// branch only, predicting the other view's projection (Grill et al. 2020, arXiv:2006.07733, §3.3;
/// Chen &amp; He 2020, arXiv:2011.10566, §4). SimSiam makes it a bottleneck (hidden = dim / 4).
/// </summary>
public sealed class PredictionHead : nn.Module<Tensor, Tensor>
{
    private readonly Sequential mlp;

    /// <summary>Creates the predictor.</summary>
    /// <param name="inDim">Projection size it reads.</param>
    /// <param name="hiddenDim">Hidden width.</param>
    /// <param name="outDim">Output size (equal to inDim in both papers).</param>
    public PredictionHead(int inDim, int hiddenDim, int outDim) : base(nameof(PredictionHead))
    {
        mlp = Mlp.Build(inDim, hiddenDim, outDim, layers: 2, batchNorm: true);
        OutDim = outDim;
        RegisterComponents();
    }

    /// <summary>SimSiam's bottleneck predictor: dim → dim/4 → dim (2048 → 512 → 2048 in the paper).</summary>
    /// <param name="dim">Projection size (at least 4).</param>
    public static PredictionHead SimSiam(int dim) => new(dim, Math.Max(1, dim / 4), dim);

    /// <summary>BYOL's predictor: dim → hiddenDim → dim (256 → 4096 → 256 in the paper).</summary>
    /// <param name="dim">Projection size.</param>
    /// <param name="hiddenDim">Hidden width (4096 in the paper; smaller for CPU notebooks).</param>
    public static PredictionHead Byol(int dim, int hiddenDim = 4096) => new(dim, hiddenDim, dim);

    /// <summary>Output size.</summary>
    public int OutDim { get; }

    /// <summary>Predicts <c>[batch, OutDim]</c> from projections <c>[batch, inDim]</c>.</summary>
    /// <param name="projections">Online projections.</param>
    public override Tensor forward(Tensor projections) => mlp.call(projections);
}
