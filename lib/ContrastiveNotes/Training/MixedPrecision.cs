using System.Reflection;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ContrastiveNotes.Training;

/// <summary>
/// Mixed-precision training for TorchSharp, which has no autocast: the equivalent of PyTorch's
/// <c>torch.autocast</c> for the layers that carry the work. While a <see cref="Scope"/> is open, every
/// <see cref="Linear"/> and convolution of the given modules computes with a bfloat16/float16 copy of its float32
/// weight made inside the autograd graph (so the backward pass delivers float32 gradients to the float32
/// weights, which the optimizer updates and checkpoints hold), casts its input to that type, and every top-level
/// module returns float32. Normalisation (BatchNorm computes in float32 on low-precision input), the similarity
/// logits, softmax and the loss therefore run in float32 (Micikevicius et al. 2018, "Mixed Precision Training",
/// arXiv:1710.03740: float32 master weights, low-precision arithmetic, float32 reductions).
/// </summary>
/// <remarks>
/// TorchSharp's <c>weight</c> setters dispose the parameter they replace, so the copy is put into the layer's
/// private field for the duration of the scope and the float32 parameter back when it closes; the registered
/// parameters (what <c>parameters()</c>, the optimizer and checkpoints see) never change. Layers other than
/// <see cref="Linear"/> and <see cref="Convolution"/> (BatchNorm, LayerNorm, pooling, activations) keep float32
/// parameters and follow their input's type.
/// </remarks>
public sealed class MixedPrecision
{
    private static readonly FieldInfo LinearWeight = Field(typeof(Linear), "_weight");
    private static readonly FieldInfo LinearBias = Field(typeof(Linear), "_bias");
    private static readonly FieldInfo ConvolutionWeight = Field(typeof(Convolution), "_weight");
    private static readonly FieldInfo ConvolutionBias = Field(typeof(Convolution), "_bias");

    private readonly nn.Module[] _modules;
    private readonly nn.Module<Tensor, Tensor>[] _layers;

    /// <summary>Prepares mixed precision for <paramref name="modules"/> (a method's modules, trainable or not).</summary>
    /// <param name="modules">The modules whose linear layers and convolutions compute in <paramref name="computeType"/>.</param>
    /// <param name="computeType"><see cref="ScalarType.BFloat16"/> or <see cref="ScalarType.Float16"/>.</param>
    public MixedPrecision(IEnumerable<nn.Module> modules, ScalarType computeType)
    {
        ArgumentNullException.ThrowIfNull(modules);
        if (computeType is not (ScalarType.BFloat16 or ScalarType.Float16))
            throw new ArgumentOutOfRangeException(nameof(computeType), computeType, "Mixed precision computes in BFloat16 or Float16.");
        _modules = modules.ToArray();
        _layers = _modules.SelectMany(Layers).Distinct().ToArray();
        ComputeType = computeType;
    }

    /// <summary>The type linear layers and convolutions compute in.</summary>
    public ScalarType ComputeType { get; }

    /// <summary>The scalar type of <paramref name="precision"/>'s arithmetic, or null for float32.</summary>
    public static ScalarType? ComputeTypeOf(TrainingPrecision precision) => precision switch
    {
        TrainingPrecision.Float32 => null,
        TrainingPrecision.BFloat16 => ScalarType.BFloat16,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown precision."),
    };

    /// <summary>
    /// Opens the scope of one forward pass: call the modules inside it (through <c>call</c>, which runs hooks;
    /// <c>forward</c> does not), then close it and run <c>backward</c> on the loss. Open it inside the step's
    /// dispose scope: the low-precision copies belong to it.
    /// </summary>
    public Scope Enter() => new(this);

    /// <summary>One forward pass in low precision; closing it puts every float32 weight back into its layer.</summary>
    public sealed class Scope : IDisposable
    {
        private readonly List<(object Layer, FieldInfo Field, Parameter Master)> _swapped = new();
        private readonly List<Action> _removeHooks = new();
        private bool _closed;

        internal Scope(MixedPrecision owner)
        {
            var computeType = owner.ComputeType;
            try
            {
                foreach (var layer in owner._layers)
                    CastLayer(layer, computeType);
                foreach (var top in owner._modules.OfType<nn.Module<Tensor, Tensor>>())
                    _removeHooks.Add(top.register_forward_hook((_, _, output) => ToFloat32(output, computeType)).remove);
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        private void CastLayer(nn.Module<Tensor, Tensor> layer, ScalarType computeType)
        {
            var (weight, bias) = layer is Linear ? (LinearWeight, LinearBias) : (ConvolutionWeight, ConvolutionBias);
            Swap(layer, weight, computeType);
            Swap(layer, bias, computeType);
            _removeHooks.Add(layer.register_forward_pre_hook((_, input) => CastFloating(input, computeType)).remove);
        }

        private void Swap(object layer, FieldInfo field, ScalarType computeType)
        {
            if (field.GetValue(layer) is not Parameter master || master.dtype == computeType)
                return;
            var copy = new Parameter(master.to(computeType), master.requires_grad);
            _swapped.Add((layer, field, master));
            field.SetValue(layer, copy);
        }

        /// <summary>Puts the float32 weights back and removes the casts.</summary>
        public void Dispose()
        {
            if (_closed) return;
            _closed = true;
            foreach (var remove in _removeHooks)
                remove();
            foreach (var (layer, field, master) in _swapped)
            {
                var copy = (Parameter?)field.GetValue(layer);
                field.SetValue(layer, master);
                copy?.Dispose();
            }
        }
    }

    private static IEnumerable<nn.Module<Tensor, Tensor>> Layers(nn.Module module) =>
        new[] { module }.Concat(module.modules()).OfType<nn.Module<Tensor, Tensor>>()
            .Where(m => m is Linear or Convolution);

    private static Tensor CastFloating(Tensor input, ScalarType computeType) =>
        input.is_floating_point() && input.dtype != computeType ? input.to(computeType) : input;

    private static Tensor ToFloat32(Tensor output, ScalarType computeType) =>
        output.dtype == computeType ? output.to(ScalarType.Float32) : output;

    private static FieldInfo Field(Type type, string name) =>
        type.GetField(name, BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new NotSupportedException(
            $"Mixed precision needs TorchSharp's private field {type.Name}.{name}, which this TorchSharp version does not have. " +
            "Train with TrainingPrecision.Float32, or use the TorchSharp version in Directory.Packages.props.");
}
