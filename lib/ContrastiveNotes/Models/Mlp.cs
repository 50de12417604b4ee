using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ContrastiveNotes.Models;

/// <summary>Builds the multi-layer perceptrons used by the projection and prediction heads.</summary>
internal static class Mlp
{
    /// <summary>
    /// <c>layers - 1</c> hidden blocks Linear(→hidden) [- BatchNorm1d] - ReLU, then a final Linear(→outDim)
    /// [- BatchNorm1d without affine parameters, SimSiam's output normalisation]. A Linear followed by BatchNorm has
    /// no bias (BN's shift, or its centring, replaces it).
    /// </summary>
    public static Sequential Build(int inDim, int hiddenDim, int outDim, int layers, bool batchNorm, bool outputBatchNorm = false)
    {
        ModelArguments.RequirePositive(inDim, nameof(inDim));
        ModelArguments.RequirePositive(hiddenDim, nameof(hiddenDim));
        ModelArguments.RequirePositive(outDim, nameof(outDim));
        ModelArguments.RequirePositive(layers, nameof(layers));
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        int width = inDim;
        for (int i = 0; i < layers - 1; i++)
        {
            modules.Add(($"linear{i}", nn.Linear(width, hiddenDim, hasBias: !batchNorm)));
            if (batchNorm)
                modules.Add(($"bn{i}", nn.BatchNorm1d(hiddenDim)));
            modules.Add(($"relu{i}", nn.ReLU()));
            width = hiddenDim;
        }
        modules.Add(("output", nn.Linear(width, outDim, hasBias: !outputBatchNorm)));
        if (outputBatchNorm)
            modules.Add(("output_bn", nn.BatchNorm1d(outDim, affine: false)));
        return nn.Sequential(modules);
    }
}
