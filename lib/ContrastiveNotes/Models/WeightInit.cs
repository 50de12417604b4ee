using TorchSharp;
using TorchSharp.Modules;

namespace ContrastiveNotes.Models;

/// <summary>Weight initialisation as torchvision's ResNet does it.</summary>
internal static class WeightInit
{
    /// <summary>
    /// Kaiming-normal (He et al. 2015, arXiv:1502.01852) with fan_out for every convolution, weight 1 and bias 0 for
    /// every batch norm, as <c>torchvision.models.resnet.ResNet.__init__</c>.
    /// </summary>
    public static void InitializeLikeTorchvision(torch.nn.Module root)
    {
        using var noGrad = torch.no_grad();
        foreach (var (_, module) in root.named_modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    torch.nn.init.kaiming_normal_(conv.weight, mode: torch.nn.init.FanInOut.FanOut, nonlinearity: torch.nn.init.NonlinearityType.ReLU);
                    break;
                case BatchNorm2d norm:
                    torch.nn.init.ones_(norm.weight);
                    torch.nn.init.zeros_(norm.bias);
                    break;
            }
        }
    }
}
