using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ContrastiveNotes.Training;

/// <summary>
/// LARS, layer-wise adaptive rate scaling (You, Gitman &amp; Ginsburg, 2017, arXiv:1708.03888), in the form
/// SimCLR uses (Chen et al., 2020, arXiv:2002.05709): for every adapted parameter w with gradient g,
/// d = g + λ·w, trust = η·‖w‖ / ‖d‖ (1 when either norm is 0), v ← m·v + lr·trust·d, w ← w − v.
/// Excluded parameters (by default the one-dimensional ones: biases and BatchNorm scales/shifts) get neither
/// weight decay nor adaptation: v ← m·v + lr·g, w ← w − v.
/// </summary>
/// <remarks>
/// The momentum buffers are part of the optimizer state a checkpoint saves (<see cref="SaveState"/>,
/// <see cref="LoadState"/>). The learning rate lives in the single entry of <see cref="ParamGroups"/> so that a
/// schedule can change it per step.
/// </remarks>
public sealed class Lars : optim.Optimizer
{
    private readonly Parameter[] _parameters;
    private readonly bool[] _adapted;
    private readonly Tensor[] _momentumBuffers;
    private readonly LearningRateController _controller;

    /// <summary>Creates LARS over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">Parameters to optimize.</param>
    /// <param name="learningRate">Base learning rate (SimCLR: 0.3 × batchSize / 256).</param>
    /// <param name="momentum">Momentum m in [0, 1).</param>
    /// <param name="weightDecay">Weight decay λ for adapted parameters (SimCLR: 1e-6).</param>
    /// <param name="trustCoefficient">Trust coefficient η (1e-3).</param>
    /// <param name="isExcluded">Which parameters skip decay and adaptation; default: one-dimensional ones.</param>
    public Lars(IEnumerable<Parameter> parameters, double learningRate, double momentum = 0.9, double weightDecay = 1e-6,
        double trustCoefficient = 1e-3, Func<Parameter, bool>? isExcluded = null) : base(IntPtr.Zero)
    {
        if (!(learningRate >= 0) || !double.IsFinite(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be 0 or positive and finite.");
        if (!(momentum >= 0 && momentum < 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1) (typical: 0.9).");
        if (!(weightDecay >= 0))
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must be 0 or positive (SimCLR uses 1e-6).");
        if (!(trustCoefficient > 0))
            throw new ArgumentOutOfRangeException(nameof(trustCoefficient), trustCoefficient, "The trust coefficient must be positive (typical: 1e-3).");
        isExcluded ??= p => p.dim() <= 1;
        _parameters = parameters.ToArray();
        if (_parameters.Length == 0)
            throw new ArgumentException("LARS needs at least one parameter; does the model have trainable parameters (requires_grad)?", nameof(parameters));
        _adapted = _parameters.Select(p => !isExcluded(p)).ToArray();
        _momentumBuffers = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _controller = new LearningRateController(learningRate);
        Momentum = momentum;
        WeightDecay = weightDecay;
        TrustCoefficient = trustCoefficient;
    }

    /// <summary>Momentum m.</summary>
    public double Momentum { get; }

    /// <summary>Weight decay λ applied to adapted parameters.</summary>
    public double WeightDecay { get; }

    /// <summary>Trust coefficient η.</summary>
    public double TrustCoefficient { get; }

    /// <summary>The current learning rate (the one a schedule sets through <see cref="ParamGroups"/>).</summary>
    public double LearningRate
    {
        get => _controller.LearningRate;
        set => _controller.LearningRate = value;
    }

    /// <summary>One group holding the learning rate, for schedules.</summary>
    public override IEnumerable<optim.ILearningRateController> ParamGroups => new[] { _controller };

    /// <summary>The optimized parameters, in construction order.</summary>
    public override IEnumerable<Parameter> parameters() => _parameters;

    /// <summary>Zeroes every parameter's gradient.</summary>
    public override void zero_grad()
    {
        foreach (var p in _parameters)
            p.grad?.zero_();
    }

    /// <summary>Applies one LARS update to every parameter that has a gradient.</summary>
    public override Tensor step(Func<Tensor>? closure = null)
    {
        Tensor? loss = null;
        if (closure is not null)
            using (enable_grad())
                loss = closure();
        using (no_grad())
        using (NewDisposeScope())
        {
            for (int i = 0; i < _parameters.Length; i++)
                UpdateOne(_parameters[i], _momentumBuffers[i], _adapted[i]);
        }
        return loss!;
    }

    private void UpdateOne(Parameter weight, Tensor buffer, bool adapted)
    {
        Tensor? gradient = weight.grad;
        if (gradient is null)
            return;
        Tensor update;
        if (adapted)
        {
            Tensor decayed = WeightDecay == 0 ? gradient : gradient.add(weight, alpha: WeightDecay);
            Tensor weightNorm = weight.norm();
            Tensor updateNorm = decayed.norm();
            Tensor bothPositive = weightNorm.gt(0).logical_and(updateNorm.gt(0));
            Tensor trust = where(bothPositive, weightNorm.mul(TrustCoefficient).div(updateNorm), ones_like(weightNorm));
            update = decayed.mul(trust).mul(LearningRate);
        }
        else
        {
            update = gradient.mul(LearningRate);
        }
        buffer.mul_(Momentum).add_(update);
        weight.sub_(buffer);
    }

    /// <summary>Writes the learning rate and the momentum buffers (checkpoint format of this class).</summary>
    public void SaveState(BinaryWriter writer)
    {
        writer.Write(nameof(Lars));
        writer.Write(LearningRate);
        writer.Write(_momentumBuffers.Length);
        foreach (var buffer in _momentumBuffers)
            buffer.Save(writer);
    }

    /// <summary>Reads what <see cref="SaveState"/> wrote into this optimizer's buffers.</summary>
    /// <exception cref="InvalidDataException">The stream holds another optimizer or another parameter count.</exception>
    public void LoadState(BinaryReader reader)
    {
        string name = reader.ReadString();
        if (name != nameof(Lars))
            throw new InvalidDataException($"Expected LARS optimizer state in the checkpoint, but found '{name}'. Resume with the same TrainingOptions.Optimizer the checkpoint was written with.");
        LearningRate = reader.ReadDouble();
        int count = reader.ReadInt32();
        if (count != _momentumBuffers.Length)
            throw new InvalidDataException($"The checkpoint's LARS state has {count} momentum buffers, but this optimizer has {_momentumBuffers.Length} parameters. Resume with the same model architecture.");
        foreach (var buffer in _momentumBuffers)
            buffer.Load(reader);
    }

    /// <summary>Releases the momentum buffers.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            foreach (var buffer in _momentumBuffers)
                buffer.Dispose();
        base.Dispose(disposing);
    }

    private sealed class LearningRateController(double learningRate) : optim.ILearningRateController
    {
        public double LearningRate { get; set; } = learningRate;

        public double InitialLearningRate { get; set; } = learningRate;
    }
}
