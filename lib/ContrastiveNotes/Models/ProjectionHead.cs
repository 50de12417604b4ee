using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ContrastiveNotes.Models;

/// <summary>
/// The projection head <c>g</c> that maps encoder features <c>h [batch, inDim]</c> to the space where the
/// contrastive loss is applied, <c>z = g(h) [batch, OutDim]</c>. SimCLR showed that the loss works better on
/// <c>z</c> while <c>h</c> keeps more information for downstream tasks (Chen et al. 2020, arXiv:2002.05709, §4.2).
/// </summary>
public sealed class ProjectionHead : nn.Module<Tensor, Tensor>
{
    private readonly Sequential mlp;

    /// <summary>Creates an MLP head.</summary>
    /// <param name="inDim">Encoder feature size (<see cref="Encoder.FeatureDim"/>).</param>
    /// <param name="hiddenDim">Width of the hidden layers.</param>
    /// <param name="outDim">Projection size.</param>
    /// <param name="layers">Number of Linear layers (2: Linear-ReLU-Linear; 1: a single Linear).</param>
    /// <param name="batchNorm">Add BatchNorm1d after each hidden Linear (SimCLR v2 / lightly style).</param>
    /// <param name="outputBatchNorm">Add a BatchNorm1d without affine parameters after the last Linear (SimSiam).</param>
    public ProjectionHead(int inDim, int hiddenDim, int outDim, int layers = 2, bool batchNorm = false, bool outputBatchNorm = false)
        : base(nameof(ProjectionHead))
    {
        mlp = Mlp.Build(inDim, hiddenDim, outDim, layers, batchNorm, outputBatchNorm);
        InDim = inDim;
        OutDim = outDim;
        RegisterComponents();
    }

    /// <summary>SimCLR v1: <c>W2 σ(W1 h)</c>, hidden = inDim, out 128, no BatchNorm (Chen et al. 2020, arXiv:2002.05709, §2.1, B.9).</summary>
    /// <param name="inDim">Encoder feature size.</param>
    public static ProjectionHead SimClr(int inDim) => new(inDim, inDim, 128);

    /// <summary>MoCo v2: 2-layer MLP with ReLU, hidden = inDim (2048 for ResNet-50), out 128 (Chen et al. 2020, arXiv:2003.04297).</summary>
    /// <param name="inDim">Encoder feature size.</param>
    public static ProjectionHead MoCoV2(int inDim) => new(inDim, inDim, 128);

    /// <summary>SupCon: Linear-ReLU-Linear, hidden = inDim, out 128 (Khosla et al. 2020, arXiv:2004.11362, §4; reference code).</summary>
    /// <param name="inDim">Encoder feature size.</param>
    public static ProjectionHead SupCon(int inDim) => new(inDim, inDim, 128);

    /// <summary>
    /// SimSiam: <paramref name="layers"/> Linear layers, each followed by BatchNorm1d, ReLU on the hidden ones, no
    /// affine parameters on the output BN; width = out = <paramref name="dim"/> (3 layers of 2048 on ImageNet, 2 on
    /// CIFAR-10; Chen &amp; He 2020, arXiv:2011.10566, §3 and appendix).
    /// </summary>
    /// <param name="inDim">Encoder feature size.</param>
    /// <param name="dim">Hidden and output size.</param>
    /// <param name="layers">Number of Linear layers.</param>
    public static ProjectionHead SimSiam(int inDim, int dim = 2048, int layers = 3) => new(inDim, dim, dim, layers, batchNorm: true, outputBatchNorm: true);

    /// <summary>BYOL: Linear(→hidden) - BatchNorm1d - ReLU - Linear(→out) (4096 and 256 in Grill et al. 2020, arXiv:2006.07733, §3.3).</summary>
    /// <param name="inDim">Encoder feature size.</param>
    /// <param name="hiddenDim">Hidden width (4096 in the paper; smaller for CPU notebooks).</param>
    /// <param name="outDim">Projection size (256 in the paper).</param>
    public static ProjectionHead Byol(int inDim, int hiddenDim = 4096, int outDim = 256) => new(inDim, hiddenDim, outDim, layers: 2, batchNorm: true);

    /// <summary>Input feature size.</summary>
    public int InDim { get; }

    /// <summary>Projection size.</summary>
    public int OutDim { get; }

    /// <summary>Projects features <c>[batch, InDim]</c> to <c>[batch, OutDim]</c> (not normalised; the losses normalise).</summary>
    /// <param name="features">Encoder features.</param>
    public override Tensor forward(Tensor features) => mlp.call(features);
}
