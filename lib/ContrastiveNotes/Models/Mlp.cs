using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ContrastiveNotes.Models;

/// <summary>Builds the multi-layer perceptrons used by the projection and prediction heads.</summary>
internal static class Mlp
{
    /// <summary>
    /// <c>layers - 1</c> hidden blocks Linear(→hidden) [- BatchNorm1d] - ReLU, then a final Linear(→outDim).
    /// With BatchNorm the hidden Linear layers have no bias (BN's shift replaces it).
    /// </summary>
    public static Sequential Build(int inDim, int hiddenDim, int outDim, int layers, bool batchNorm)
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
        modules.Add(("output", nn.Linear(width, outDim)));
        return nn.Sequential(modules);
    }
}
