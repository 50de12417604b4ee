using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Models;

/// <summary>
/// A slowly moving copy of a network (encoder, optionally with its head) whose weights follow the online network
/// by an exponential moving average: the key encoder of MoCo (He et al. 2019, arXiv:1911.05722, eq. 2) and the
/// target network of BYOL (Grill et al. 2020, arXiv:2006.07733, eq. 1). It never receives gradients.
/// </summary>
/// <remarks>
/// TorchSharp has no <c>copy.deepcopy</c> for modules, so the copy is built by a factory that creates the same
/// architecture; its parameters and buffers are then copied from the online network, moved to its device and
/// frozen (<c>requires_grad = false</c>). <see cref="Update"/> applies <c>θ_k ← m θ_k + (1 − m) θ_q</c> to every
/// parameter and copies the buffers (BatchNorm running statistics).
/// </remarks>
public sealed class MomentumEncoder : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> copy;

    /// <summary>Creates the momentum copy of <paramref name="online"/>.</summary>
    /// <param name="online">The network trained by gradient descent (the query encoder / online network).</param>
    /// <param name="createSameArchitecture">
    /// Builds a fresh module of the same architecture, e.g. <c>() =&gt; ResNet.ResNet18(3, ResNetStem.Cifar)</c>
    /// or <c>() =&gt; nn.Sequential(new SmallConvNet(), ProjectionHead.MoCoV2(128))</c>.
    /// </param>
    public MomentumEncoder(nn.Module<Tensor, Tensor> online, Func<nn.Module<Tensor, Tensor>> createSameArchitecture)
        : base(nameof(MomentumEncoder))
    {
        ArgumentNullException.ThrowIfNull(online);
        ArgumentNullException.ThrowIfNull(createSameArchitecture);
        copy = createSameArchitecture();
        RequireSameArchitecture(online);
        var device = online.parameters().FirstOrDefault()?.device ?? torch.CPU;
        copy.to(device);
        var source = online.state_dict();
        using (torch.no_grad())
        {
            foreach (var (name, tensor) in copy.state_dict())
                tensor.copy_(source[name]);
        }
        foreach (var parameter in copy.parameters())
            parameter.requires_grad = false;
        RegisterComponents();
    }

    /// <summary>The frozen copy itself (for saving it, or for inspecting its weights).</summary>
    public nn.Module<Tensor, Tensor> Network => copy;

    /// <summary>Runs the copy without recording a graph: outputs never carry gradients.</summary>
    /// <param name="input">What the online network takes, e.g. images <c>[batch, channels, height, width]</c>.</param>
    public override Tensor forward(Tensor input)
    {
        using var noGrad = torch.no_grad();
        return copy.call(input);
    }

    /// <summary>
    /// Moves every parameter toward the online network, <c>θ_k ← m θ_k + (1 − m) θ_q</c>, and copies the buffers.
    /// Call it after each optimizer step.
    /// </summary>
    /// <param name="online">The online network this copy was made from.</param>
    /// <param name="momentum">m in [0, 1]: 0.999 in MoCo, 0.996 (rising to 1) in BYOL; 0 copies, 1 freezes.</param>
    public void Update(nn.Module online, double momentum)
    {
        if (!(momentum >= 0 && momentum <= 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum,
                $"momentum must be in [0, 1], but it is {momentum}. MoCo uses 0.999, BYOL starts at 0.996.");
        using var noGrad = torch.no_grad();
        var onlineParameters = online.named_parameters().ToDictionary(entry => entry.name, entry => entry.parameter);
        foreach (var (name, parameter) in copy.named_parameters())
        {
            if (!onlineParameters.TryGetValue(name, out var source))
                throw new ArgumentException($"The online network has no parameter '{name}'. Pass the network this MomentumEncoder was built from.", nameof(online));
            parameter.mul_(momentum).add_(source, alpha: 1 - momentum);
        }
        var onlineBuffers = online.named_buffers().ToDictionary(entry => entry.name, entry => entry.buffer);
        foreach (var (name, buffer) in copy.named_buffers())
        {
            if (!onlineBuffers.TryGetValue(name, out var source))
                throw new ArgumentException($"The online network has no buffer '{name}'. Pass the network this MomentumEncoder was built from.", nameof(online));
            buffer.copy_(source);
        }
    }

    private void RequireSameArchitecture(nn.Module online)
    {
        var differences = ModelWeights.Differences(online.state_dict(), copy.state_dict(), "the online network", "the copy");
        if (differences.Count > 0)
            throw new ArgumentException(
                $"createSameArchitecture built a module that differs from the online network: {string.Join("; ", differences.Take(5))}. " +
                "Make the factory build the same class with the same constructor arguments.", nameof(online));
    }
}
