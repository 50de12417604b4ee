using System.Diagnostics;
using ContrastiveNotes.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ContrastiveNotes.Training;

/// <summary>
/// The one training loop of the course, shared by SimCLR, MoCo, SupCon and the supervised baseline: per step
/// it sets the scheduled learning rate, asks the <see cref="ITrainingMethod"/> for the batch's loss, stops on
/// a NaN/infinite loss, steps the optimizer and calls the method's after-step hook, all inside a dispose scope.
/// Around the steps it reports progress, records a <see cref="TrainingHistory"/>, writes atomic checkpoints
/// and honours cancellation between steps. A resumed run reproduces an uninterrupted one: the data order of
/// epoch e comes from <see cref="EpochSeed"/>(seed, e) and the augmentation generator's state is checkpointed.
/// </summary>
public sealed class Trainer : IDisposable
{
    private const string CheckpointMagic = "ContrastiveNotes.TrainingCheckpoint/1";
    private const int RecentLossCount = 5;

    private readonly optim.Optimizer _optimizer;
    private readonly Generator _generator;
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

    /// <summary>
    /// The seed of epoch <paramref name="epoch"/>'s data order (0-based epoch), a SplitMix64 hash of the run's
    /// seed and the epoch, so that a resumed run draws the same batches as an uninterrupted one.
    /// </summary>
    public static long EpochSeed(long seed, int epoch)
    {
        unchecked
        {
            ulong z = (ulong)seed + 0x9E3779B97F4A7C15UL * (ulong)(epoch + 1);
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return (long)((z ^ (z >> 31)) & long.MaxValue);
        }
    }

    /// <summary>
    /// Trains on <paramref name="dataset"/> through a prefetching <see cref="BatchIterator"/> per epoch, seeded with
    /// <see cref="EpochSeed"/>(seed, epoch) and dropping the last incomplete batch (constant negatives per batch).
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
            (_, seed) => new BatchIterator(dataset, batchSize, Options.Device, seed, shuffle: true, dropLast: true),
            progress, epochMetrics, cancellationToken);
    }

    /// <summary>
    /// Trains on in-memory images, shuffled per epoch from <see cref="EpochSeed"/>, in batches of
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
        if (images.dim() != 4)
            throw new ArgumentException($"Images must be [N, channels, height, width], but have shape [{string.Join(", ", images.shape)}].", nameof(images));
        if (labels.dtype != ScalarType.Int64 || labels.dim() != 1 || labels.shape[0] != images.shape[0])
            throw new ArgumentException($"Labels must be int64 [{images.shape[0]}] (one per image), but are {labels.dtype} [{string.Join(", ", labels.shape)}].", nameof(labels));
        if (batchSize < 1 || batchSize > images.shape[0])
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"The batch size must be between 1 and the number of images ({images.shape[0]}).");
        long count = images.shape[0];
        return Fit((int)(count / batchSize), (_, seed) => ShuffledBatches(images, labels, batchSize, seed, Options.Device),
            progress, epochMetrics, cancellationToken);
    }

    /// <summary>
    /// Trains on batches from <paramref name="batchesForEpoch"/>, called with the 0-based epoch and that epoch's
    /// seed (<see cref="EpochSeed"/>); it must yield at least <paramref name="batchesPerEpoch"/> batches of float
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
        var run = new RunClock(GlobalStep);
        Method.SetTrainingMode(true);
        while (GlobalStep < totalSteps)
        {
            int epoch = (int)(GlobalStep / batchesPerEpoch);
            RunEpoch(epoch, batchesForEpoch(epoch, EpochSeed(Options.Seed, epoch)), schedule, run, progress, cancellationToken);
            FinishEpoch(epoch, epochMetrics);
        }
        return _history;
    }

    private void RunEpoch(int epoch, IEnumerable<(Tensor Images, Tensor Labels)> batches, WarmupCosineSchedule schedule,
        RunClock run, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
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
                Report(run.Progress(this, epoch, epochStart, schedule.TotalSteps, loss, learningRate), progress);
        }
    }

    private (double Loss, long BatchSize) RunStep(IEnumerator<(Tensor Images, Tensor Labels)> enumerator, int epoch, double learningRate)
    {
        using var scope = NewDisposeScope();
        var (images, labels) = NextBatch(enumerator, epoch, GlobalStep - (long)epoch * _stepsPerEpoch);
        if (images.shape[0] == 1) RefuseSingleImageBatchNorm();
        OptimizerFactory.SetLearningRate(_optimizer, learningRate);
        _optimizer.zero_grad();
        var lossTensor = Method.ComputeLoss(images, labels, _generator);
        if (lossTensor.numel() != 1)
            throw new InvalidOperationException($"{Method.Name}.ComputeLoss must return a scalar loss, but returned shape [{string.Join(", ", lossTensor.shape)}].");
        double loss = lossTensor.ToDouble();
        if (!double.IsFinite(loss))
            throw new TrainingDivergedException(Method.Name, GlobalStep + 1, epoch + 1, loss,
                _history.StepLosses.Skip(Math.Max(0, _history.StepLosses.Count - RecentLossCount)).ToArray(), Options.CheckpointPath);
        lossTensor.backward();
        _optimizer.step();
        Method.AfterOptimizerStep();
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
    /// Writes a checkpoint (module weights, optimizer state, step, augmentation generator state, the method's
    /// extra state such as the MoCo queue, and the history) atomically: to a temporary file in the same folder,
    /// then renamed over <paramref name="path"/>.
    /// </summary>
    public void SaveCheckpoint(string path)
    {
        string fullPath = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
                    WriteCheckpoint(writer);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }

    private void WriteCheckpoint(BinaryWriter writer)
    {
        writer.Write(CheckpointMagic);
        writer.Write(Method.Name);
        writer.Write(Options.Optimizer.ToString());
        writer.Write(Options.Epochs);
        writer.Write(Options.Seed);
        writer.Write(GlobalStep);
        writer.Write(_stepsPerEpoch);
        using (var state = _generator.get_state())
            state.Save(writer);
        writer.Write(Method.Modules.Count);
        foreach (var module in Method.Modules)
            module.save(writer);
        OptimizerFactory.SaveState(_optimizer, writer);
        Method.SaveExtraState(writer);
        _history.Write(writer);
        writer.Write(CheckpointMagic);
    }

    /// <summary>
    /// Restores a checkpoint written by <see cref="SaveCheckpoint"/> (by default from
    /// <see cref="TrainingOptions.CheckpointPath"/>) into this trainer, so that the next Fit continues where
    /// the saved run stopped. Build the trainer with the same method, architecture and options first.
    /// </summary>
    /// <exception cref="FileNotFoundException">No checkpoint at the path.</exception>
    /// <exception cref="InvalidDataException">The file is not a checkpoint of this method/optimizer, or is truncated.</exception>
    public void Resume(string? path = null)
    {
        path ??= Options.CheckpointPath ?? throw new ArgumentNullException(nameof(path), "Pass a checkpoint path or set TrainingOptions.CheckpointPath.");
        if (!File.Exists(path))
            throw new FileNotFoundException($"No checkpoint at '{Path.GetFullPath(path)}'. Train with TrainingOptions.CheckpointPath set to create one.", path);
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8);
        try
        {
            ReadCheckpoint(reader, path);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"The checkpoint '{path}' is truncated (it ends before all its parts were read). Use an earlier checkpoint or train again.", e);
        }
    }

    private void ReadCheckpoint(BinaryReader reader, string path)
    {
        ExpectString(reader, CheckpointMagic, path, "a ContrastiveNotes training checkpoint");
        ExpectString(reader, Method.Name, path, "the training method");
        ExpectString(reader, Options.Optimizer.ToString(), path, "the optimizer (TrainingOptions.Optimizer)");
        int epochs = reader.ReadInt32();
        long seed = reader.ReadInt64();
        if (epochs != Options.Epochs || seed != Options.Seed)
            throw new InvalidDataException(
                $"The checkpoint '{path}' comes from a run with Epochs = {epochs} and Seed = {seed}, but this trainer has Epochs = {Options.Epochs} and Seed = {Options.Seed}. " +
                "Resume with the same options (the learning-rate schedule and data order depend on them); to train further, start a new run from the saved weights.");
        long step = reader.ReadInt64();
        long stepsPerEpoch = reader.ReadInt64();
        using (var state = TensorExtensionMethods.Load(reader))
            _generator.set_state(state);
        int modules = reader.ReadInt32();
        if (modules != Method.Modules.Count)
            throw new InvalidDataException($"The checkpoint '{path}' holds {modules} modules, but {Method.Name} has {Method.Modules.Count}. Build the same method and architecture as the saved run.");
        foreach (var module in Method.Modules)
            module.load(reader);
        OptimizerFactory.LoadState(_optimizer, reader);
        Method.LoadExtraState(reader);
        var history = TrainingHistory.Read(reader);
        ExpectString(reader, CheckpointMagic, path, "the end marker");
        GlobalStep = step;
        _stepsPerEpoch = stepsPerEpoch;
        _history = history;
    }

    private static void ExpectString(BinaryReader reader, string expected, string path, string what)
    {
        string found = reader.ReadString();
        if (found != expected)
            throw new InvalidDataException($"The checkpoint '{path}' does not match {what}: expected '{expected}', found '{found}'. Resume with the same method and options the run was started with.");
    }

    private static IEnumerable<(Tensor Images, Tensor Labels)> ShuffledBatches(Tensor images, Tensor labels, int batchSize, long seed, Device device)
    {
        long count = images.shape[0];
        using var order = ShuffledIndices(count, seed);
        for (long start = 0; start + batchSize <= count; start += batchSize)
        {
            var indices = order.narrow(0, start, batchSize);
            var batch = images.index_select(0, indices.to(images.device)).to(device);
            if (!torch.is_floating_point(batch))
                batch = batch.to(ScalarType.Float32).div_(255);
            yield return (batch, labels.index_select(0, indices.to(labels.device)).to(device));
        }
    }

    private static Tensor ShuffledIndices(long count, long seed)
    {
        using var generator = new Generator(unchecked((ulong)seed), CPU);
        return randperm(count, generator: generator).DetachFromDisposeScope();
    }

    /// <summary>Releases the optimizer state and the generator (the method's modules stay with the caller).</summary>
    public void Dispose()
    {
        _optimizer.Dispose();
        _generator.Dispose();
    }

    private sealed class RunClock(long startStep)
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private long _images;

        public void Count(long images) => _images += images;

        public TrainingProgress Progress(Trainer trainer, int epoch, long epochStart, long totalSteps, double loss, double learningRate)
        {
            double seconds = Math.Max(_watch.Elapsed.TotalSeconds, 1e-9);
            long stepsDone = trainer.GlobalStep - startStep;
            var remaining = TimeSpan.FromSeconds(seconds / Math.Max(stepsDone, 1) * (totalSteps - trainer.GlobalStep));
            double epochMean = trainer._history.StepLosses.Skip((int)epochStart).Average();
            return new TrainingProgress(trainer.Method.Name, epoch + 1, trainer.Options.Epochs, trainer.GlobalStep - epochStart,
                trainer._stepsPerEpoch, trainer.GlobalStep, totalSteps, loss, epochMean, learningRate, _images / seconds,
                _watch.Elapsed, remaining)
            {
                RecentLosses = trainer._history.StepLosses.Skip(Math.Max(0, trainer._history.StepLosses.Count - RecentLossWindow)).ToArray(),
            };
        }
    }
}
