using TorchSharp;

namespace ContrastiveNotes.Interactive;

/// <summary>
/// Chooses the device the course runs on: CUDA when TorchSharp's CUDA backend is present and a GPU is
/// visible, the CPU otherwise. The environment variable <c>CONTRASTIVE_DEVICE</c> (<c>cpu</c>,
/// <c>cuda</c>, <c>cuda:1</c>) overrides the choice.
/// </summary>
public static class DeviceChoice
{
    /// <summary>The environment variable that forces a device.</summary>
    public const string OverrideVariable = "CONTRASTIVE_DEVICE";

    /// <summary>Returns the best available device and a sentence that says which one and why.</summary>
    public static (torch.Device Device, string Reason) Choose()
    {
        string? forced = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrWhiteSpace(forced))
        {
            var device = torch.device(forced.Trim());
            if (device.type == DeviceType.CUDA && !torch.cuda.is_available())
                throw new InvalidOperationException(
                    $"{OverrideVariable}={forced} asks for a CUDA device, but TorchSharp sees no CUDA GPU. " +
                    "Build with -p:TorchBackend=cuda on a machine with an NVIDIA driver (environment/GPU.md), or unset the variable.");
            return (device, $"Using {device} ({OverrideVariable}={forced}).");
        }
        if (torch.cuda.is_available())
            return (torch.CUDA, $"Using cuda: {torch.cuda.device_count()} CUDA device(s) visible.");
        return (torch.CPU, $"Using cpu with {torch.get_num_threads()} threads (no CUDA GPU visible to TorchSharp).");
    }
}
