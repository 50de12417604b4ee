namespace ContrastiveNotes.Training;

/// <summary>
/// The record of a training run: loss and learning rate per step, mean loss and custom metrics per epoch.
/// Returned by <see cref="Trainer.Fit(int, Func{int, long, IEnumerable{ValueTuple{TorchSharp.torch.Tensor, TorchSharp.torch.Tensor}}}, IProgress{TrainingProgress}?, Func{int, IReadOnlyDictionary{string, double}}?, CancellationToken)"/>
/// and stored in checkpoints, so a resumed run returns the whole history.
/// </summary>
public sealed class TrainingHistory
{
    private readonly List<double> _stepLosses = new();
    private readonly List<double> _stepLearningRates = new();
    private readonly List<TrainingEpochRecord> _epochs = new();

    /// <summary>Loss of every step, in order.</summary>
    public IReadOnlyList<double> StepLosses => _stepLosses;

    /// <summary>Learning rate of every step, in order.</summary>
    public IReadOnlyList<double> StepLearningRates => _stepLearningRates;

    /// <summary>One record per finished epoch.</summary>
    public IReadOnlyList<TrainingEpochRecord> Epochs => _epochs;

    /// <summary>Mean loss of every finished epoch.</summary>
    public IReadOnlyList<double> EpochLosses => _epochs.Select(e => e.MeanLoss).ToArray();

    /// <summary>The values of metric <paramref name="name"/> per epoch (NaN where an epoch has none), for charts.</summary>
    public IReadOnlyList<double> Metric(string name) =>
        _epochs.Select(e => e.Metrics.TryGetValue(name, out double v) ? v : double.NaN).ToArray();

    internal void AddStep(double loss, double learningRate)
    {
        _stepLosses.Add(loss);
        _stepLearningRates.Add(learningRate);
    }

    internal void AddEpoch(TrainingEpochRecord record) => _epochs.Add(record);

    internal void Write(BinaryWriter writer)
    {
        writer.Write(_stepLosses.Count);
        for (int i = 0; i < _stepLosses.Count; i++)
        {
            writer.Write(_stepLosses[i]);
            writer.Write(_stepLearningRates[i]);
        }
        writer.Write(_epochs.Count);
        foreach (var epoch in _epochs)
        {
            writer.Write(epoch.Epoch);
            writer.Write(epoch.MeanLoss);
            writer.Write(epoch.LearningRate);
            writer.Write(epoch.Metrics.Count);
            foreach (var (name, value) in epoch.Metrics)
            {
                writer.Write(name);
                writer.Write(value);
            }
        }
    }

    internal static TrainingHistory Read(BinaryReader reader)
    {
        var history = new TrainingHistory();
        int steps = reader.ReadInt32();
        for (int i = 0; i < steps; i++)
            history.AddStep(reader.ReadDouble(), reader.ReadDouble());
        int epochs = reader.ReadInt32();
        for (int i = 0; i < epochs; i++)
        {
            int epoch = reader.ReadInt32();
            double loss = reader.ReadDouble(), lr = reader.ReadDouble();
            int count = reader.ReadInt32();
            var metrics = new Dictionary<string, double>();
            for (int m = 0; m < count; m++)
                metrics[reader.ReadString()] = reader.ReadDouble();
            history.AddEpoch(new TrainingEpochRecord(epoch, loss, lr, metrics));
        }
        return history;
    }
}
