using System.Diagnostics;
using ContrastiveNotes.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ContrastiveNotes.Training;

/// <summary>
/// The one training loop of the course, shared by SimCLR, MoCo, SupCon and the supervised baseline: per step
/// it sets the scheduled learning rate, asks the <see cref="ITrainingMethod"/> for the batch's step, lets the
/// <see cref="DivergenceGuard"/> stop a non-finite, exploded or collapsed loss, steps the optimizer, runs the
/// step's follow-up and has the guard check the new weights, all inside a dispose scope. With
/// <see cref="TrainingOptions.Precision"/> set to bfloat16 the method's step runs inside a <see cref="MixedPrecision"/> scope.
/// Around the steps it reports progress (<see cref="ProgressMeter"/>), records a <see cref="TrainingHistory"/>,
/// writes checkpoints (<see cref="TrainingCheckpoint"/>) and honours cancellation between steps. Batches come from
/// <see cref="EpochBatches"/> or any source that follows its seed scheme; a resumed run reproduces an uninterrupted
/// one: epoch e's data order comes from <see cref="EpochSeeds.Of"/>(seed, e) and the augmentation generator's state
/// is checkpointed.
/// </summary>
public sealed class Trainer : IDisposable
{

    private readonly optim.Optimizer _optimizer;
    private readonly Generator _generator;
    private readonly DivergenceGuard _guard;
    private readonly MixedPrecision? _mixedPrecision;
    private TrainingHistory _history = new();
    private long _stepsPerEpoch;

    /// <summary>Moves the method's modules to <see cref="TrainingOptions.Device"/> and builds the optimizer.</summary>
    /// <exception cref="ArgumentException">An option is impossible (the message says which and why).</exception>
    public Trainer(ITrainingMethod method, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Method = method;
        Options = options;
        method.MoveTo(options.Device);
        _optimizer = OptimizerFactory.Create(options, method.TrainableParameters.Select(p => p.Parameter));
        _generator = new Generator(unchecked((ulong)options.Seed), options.Device);
        _guard = new DivergenceGuard(method.Name, options.CheckpointPath, options.StopOnCollapse);
        if (MixedPrecision.ComputeTypeOf(options.Precision) is { } computeType)
            _mixedPrecision = new MixedPrecision(method.Modules, computeType);
    }

    /// <summary>Raised with every progress report (also passed to the <c>progress</c> argument of Fit).</summary>
    public event EventHandler<TrainingProgress>? ProgressChanged;

    /// <summary>How many of the latest step losses a <see cref="TrainingProgress"/> carries in <see cref="TrainingProgress.RecentLosses"/>.</summary>
    public const int RecentLossWindow = 100;

    /// <summary>The method being trained.</summary>
    public ITrainingMethod Method { get; }

    /// <summary>The options of this run.</summary>
    public TrainingOptions Options { get; }

    /// <summary>The optimizer built from <see cref="TrainingOptions.Optimizer"/>.</summary>
    public optim.Optimizer Optimizer => _optimizer;

    /// <summary>Optimizer steps done so far (restored by <see cref="Resume"/>).</summary>
    public long GlobalStep { get; private set; }

    /// <summary>Epochs finished so far.</summary>
    public int CompletedEpochs => _history.Epochs.Count;

    /// <summary>The history so far (restored by <see cref="Resume"/>).</summary>
    public TrainingHistory History => _history;

    /// <summary>The generator the method's augmentations draw from (its state is checkpointed).</summary>
    internal Generator AugmentationGenerator => _generator;

    /// <summary>Batches per epoch of the run (0 before the first Fit).</summary>
    internal long StepsPerEpoch => _stepsPerEpoch;

    /// <summary>
    /// Trains on <paramref name="dataset"/> through a prefetching <see cref="BatchIterator"/> per epoch, seeded with
    /// <see cref="EpochSeeds.Of"/>(seed, epoch) and dropping the last incomplete batch (constant negatives per batch).
    /// </summary>
    /// <param name="dataset">uint8 images on the CPU; batches go to <see cref="TrainingOptions.Device"/> as float32 in [0, 1].</param>
    /// <param name="batchSize">Images per step.</param>
    /// <param name="progress">Receives progress reports (e.g. a <see cref="ConsoleProgress"/> or a notebook view).</param>
    /// <param name="epochMetrics">Called after each epoch with its 1-based number, modules in eval mode; returns named metrics.</param>
    /// <param name="cancellationToken">Stops training between steps (after writing a checkpoint when a path is set).</param>
    public TrainingHistory Fit(ImageDataset dataset, int batchSize, IProgress<TrainingProgress>? progress = null,
        Func<int, IReadOnlyDictionary<string, double>>? epochMetrics = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (batchSize < 1 || batchSize > dataset.Count)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"The batch size must be between 1 and the number of images in '{dataset.Name}' ({dataset.Count}).");
        return Fit(dataset.Count / batchSize,
            (epoch, _) => EpochBatches.FromDataset(dataset, batchSize, Options.Device, Options.Seed, epoch),
            progress, epochMetrics, cancellationToken);
    }

    /// <summary>
    /// Trains on in-memory images, shuffled per epoch (<see cref="EpochBatches.FromTensors"/>), in batches of
    /// <paramref name="batchSize"/> (the last incomplete batch of an epoch is dropped, as in SimCLR).
    /// </summary>
    /// <param name="images"><c>[N, C, H, W]</c>, uint8 in [0, 255] or float in [0, 1], on any device.</param>
    /// <param name="labels">int64 <c>[N]</c>.</param>
    /// <param name="batchSize">Images per step.</param>
    /// <param name="progress">Receives progress reports (e.g. a <see cref="ConsoleProgress"/> or a notebook view).</param>
    /// <param name="epochMetrics">Called after each epoch with its 1-based number, modules in eval mode; returns named metrics.</param>
    /// <param name="cancellationToken">Stops training between steps (after writing a checkpoint when a path is set).</param>
    public TrainingHistory Fit(Tensor images, Tensor labels, int batchSize, IProgress<TrainingProgress>? progress = null,
        Func<int, IReadOnlyDictionary<string, double>>? epochMetrics = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.dim() != 4)
            throw new ArgumentException($"Images must be [N, channels, height, width], but have shape {Shapes.Format(images)}.", nameof(images));
        ClassLabels.Require(labels, images.shape[0], nameof(labels));
        labels = ClassLabels.ToInt64(labels);
        if (batchSize < 1 || batchSize > images.shape[0])
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"The batch size must be between 1 and the number of images ({images.shape[0]}).");
        long count = images.shape[0];
        return Fit((int)(count / batchSize), (epoch, _) => EpochBatches.FromTensors(images, labels, batchSize, Options.Device, Options.Seed, epoch),
            progress, epochMetrics, cancellationToken);
    }

    /// <summary>
    /// Trains on batches from <paramref name="batchesForEpoch"/>, called with the 0-based epoch and that epoch's
    /// seed (<see cref="EpochSeeds.Of"/>); it must yield at least <paramref name="batchesPerEpoch"/> batches of float
    /// images <c>[B, C, H, W]</c> in [0, 1] and int64 labels <c>[B]</c> on <see cref="TrainingOptions.Device"/>,
    /// in an order that depends only on that seed. Tensors the source creates while it is asked for the next
    /// batch belong to that step's dispose scope and are freed after the step.
    /// </summary>
    /// <returns>The history of the whole run (including epochs done before a <see cref="Resume"/>).</returns>
    /// <exception cref="TrainingDivergedException">A loss was NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException">Cancellation was requested; a checkpoint was written first when a path is set.</exception>
    public TrainingHistory Fit(int batchesPerEpoch, Func<int, long, IEnumerable<(Tensor Images, Tensor Labels)>> batchesForEpoch,
        IProgress<TrainingProgress>? progress = null, Func<int, IReadOnlyDictionary<string, double>>? epochMetrics = null,
        CancellationToken cancellationToken = default)
    {
        if (batchesPerEpoch < 1)
            throw new ArgumentOutOfRangeException(nameof(batchesPerEpoch), batchesPerEpoch, "An epoch needs at least one batch: use a smaller batch size or more images.");
        if (GlobalStep > 0 && _stepsPerEpoch != batchesPerEpoch)
            throw new InvalidOperationException($"This run was started with {_stepsPerEpoch} batches per epoch, but now gets {batchesPerEpoch}. Resume with the same data and batch size.");
        _stepsPerEpoch = batchesPerEpoch;
        long totalSteps = (long)Options.Epochs * batchesPerEpoch;
        var schedule = new WarmupCosineSchedule(Options.LearningRate, (long)Math.Round(Options.WarmupEpochs * batchesPerEpoch),
            totalSteps, Options.FinalLearningRate);
        var run = new ProgressMeter(Method.Name, Options.Epochs, GlobalStep);
        _guard.Start(Method.Modules);
        Method.SetTrainingMode(true);
        while (GlobalStep < totalSteps)
        {
            int epoch = (int)(GlobalStep / batchesPerEpoch);
            RunEpoch(epoch, batchesForEpoch(epoch, EpochSeeds.Of(Options.Seed, epoch)), schedule, run, progress, cancellationToken);
            FinishEpoch(epoch, epochMetrics);
        }
        return _history;
    }

    private void RunEpoch(int epoch, IEnumerable<(Tensor Images, Tensor Labels)> batches, WarmupCosineSchedule schedule,
        ProgressMeter run, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        using var enumerator = batches.GetEnumerator();
        long epochStart = (long)epoch * _stepsPerEpoch;
        for (long skipped = 0; skipped < GlobalStep - epochStart; skipped++)
        {
            using var skipScope = NewDisposeScope();
            NextBatch(enumerator, epoch, skipped);
        }
        while (GlobalStep < epochStart + _stepsPerEpoch)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                SaveCheckpointIfConfigured();
                cancellationToken.ThrowIfCancellationRequested();
            }
            double learningRate = schedule.LearningRateAt(GlobalStep);
            var (loss, batchSize) = RunStep(enumerator, epoch, learningRate);
            GlobalStep++;
            _history.AddStep(loss, learningRate);
            run.Count(batchSize);
            if (GlobalStep % Options.ProgressEverySteps == 0 || GlobalStep == epochStart + _stepsPerEpoch)
                Report(run.Report(_history, epoch, epochStart, _stepsPerEpoch, GlobalStep, schedule.TotalSteps, loss, learningRate), progress);
        }
    }

    private (double Loss, long BatchSize) RunStep(IEnumerator<(Tensor Images, Tensor Labels)> enumerator, int epoch, double learningRate)
    {
        using var scope = NewDisposeScope();
        var (images, labels) = NextBatch(enumerator, epoch, GlobalStep - (long)epoch * _stepsPerEpoch);
        if (images.shape[0] == 1) RefuseSingleImageBatchNorm();
        OptimizerFactory.SetLearningRate(_optimizer, learningRate);
        _optimizer.zero_grad();
        TrainingStep step;
        using (_mixedPrecision?.Enter())
            step = Method.Step(images, labels, _generator);
        var lossTensor = step.Loss;
        if (lossTensor.numel() != 1)
            throw new InvalidOperationException($"{Method.Name}.Step must return a scalar loss, but returned shape {Shapes.Format(lossTensor)}.");
        double loss = lossTensor.ToDouble();
        _guard.CheckLoss(loss, GlobalStep + 1, epoch + 1, _history.StepLosses, learningRate >= 0.01 * Options.LearningRate);
        lossTensor.backward();
        var before = DivergenceGuard.Snapshot(Method.Modules);
        _optimizer.step();
        step.AfterOptimizerStep?.Invoke();
        _guard.CheckWeights(Method.Modules, before, GlobalStep + 1, epoch + 1, loss, _history.StepLosses);
        return (loss, images.shape[0]);
    }

    /// <summary>
    /// Batch normalisation in training mode normalises each channel over the batch: with one image every activation
    /// of a fully connected layer becomes 0 (up to rounding) whatever the image, and nothing is learned. PyTorch refuses this ("Expected more than 1
    /// value per channel when training"); libtorch behind TorchSharp does not, so the trainer does.
    /// </summary>
    private void RefuseSingleImageBatchNorm()
    {
        var batchNorm = Method.Modules.SelectMany(m => m.modules()).FirstOrDefault(m => m is BatchNorm1d or BatchNorm2d && m.training);
        if (batchNorm is not null)
            throw new ArgumentException(
                $"{Method.Name} got a batch of 1 image, but its model has batch normalisation in training mode ({batchNorm.GetName()}), which " +
                "turns every activation of a batch of one into 0 (up to rounding) whatever the image, so nothing would be learned. Use a batch size of at least 2.");
    }

    private (Tensor Images, Tensor Labels) NextBatch(IEnumerator<(Tensor Images, Tensor Labels)> enumerator, int epoch, long index)
    {
        if (!enumerator.MoveNext())
            throw new InvalidOperationException($"The batch source ended after {index} batches in epoch {epoch + 1}, but {_stepsPerEpoch} batches per epoch were promised. Pass the number of full batches the source yields.");
        return enumerator.Current;
    }

    private void FinishEpoch(int epoch, Func<int, IReadOnlyDictionary<string, double>>? epochMetrics)
    {
        var losses = _history.StepLosses.Skip((int)(epoch * _stepsPerEpoch)).Take((int)_stepsPerEpoch);
        IReadOnlyDictionary<string, double> metrics = new Dictionary<string, double>();
        if (epochMetrics is not null)
        {
            Method.SetTrainingMode(false);
            try { metrics = epochMetrics(epoch + 1); }
            finally { Method.SetTrainingMode(true); }
        }
        _history.AddEpoch(new TrainingEpochRecord(epoch + 1, losses.Average(), _history.StepLearningRates[^1], metrics));
        if ((epoch + 1) % Options.CheckpointEveryEpochs == 0 || epoch + 1 == Options.Epochs)
            SaveCheckpointIfConfigured();
    }

    private void Report(TrainingProgress report, IProgress<TrainingProgress>? progress)
    {
        progress?.Report(report);
        ProgressChanged?.Invoke(this, report);
    }

    private void SaveCheckpointIfConfigured()
    {
        if (Options.CheckpointPath is not null)
            SaveCheckpoint(Options.CheckpointPath);
    }

    /// <summary>
    /// Writes a checkpoint (module weights, optimizer state, step, augmentation generator state, the method's named
    /// state such as the MoCo queue, and the history) atomically; the format is <see cref="TrainingCheckpoint"/>'s.
    /// </summary>
    public void SaveCheckpoint(string path) => TrainingCheckpoint.Save(this, path);

    /// <summary>
    /// Restores a checkpoint written by <see cref="SaveCheckpoint"/> (by default from
    /// <see cref="TrainingOptions.CheckpointPath"/>) into this trainer, so that the next Fit continues where
    /// the saved run stopped. Build the trainer with the same method, architecture and options first.
    /// </summary>
    /// <exception cref="FileNotFoundException">No checkpoint at the path.</exception>
    /// <exception cref="InvalidDataException">The file is not a checkpoint of this method/optimizer, or is truncated.</exception>
    public void Resume(string? path = null) =>
        TrainingCheckpoint.Load(this, path ?? Options.CheckpointPath ?? throw new ArgumentNullException(nameof(path), "Pass a checkpoint path or set TrainingOptions.CheckpointPath."));

    /// <summary>Sets the run's position from a checkpoint (<see cref="TrainingCheckpoint.Load"/>).</summary>
    internal void Restore(long globalStep, long stepsPerEpoch, TrainingHistory history)
    {
        GlobalStep = globalStep;
        _stepsPerEpoch = stepsPerEpoch;
        _history = history;
    }

    /// <summary>Releases the optimizer state and the generator (the method's modules stay with the caller).</summary>
    public void Dispose()
    {
        _optimizer.Dispose();
        _generator.Dispose();
    }
}
