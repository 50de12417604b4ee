using ContrastiveNotes.Benchmarks;

// Add a benchmark: write a class implementing IBenchmark in its own file and list it here.
IBenchmark[] benchmarks =
{
    new TrainingStepBenchmark(),
    new AugmentationBenchmark(),
    new LoaderBenchmark(),
    new MemoryBenchmark(),
    new NotebookBenchmark(),
    new HostileFolderBenchmark(),
};

if (args.Length > 0 && args[0] == MemoryBenchmark.ChildCommand)
    return MemoryBenchmark.RunChild(args[1..]);
if (args.Length > 0 && args[0] == HostileFolderBenchmark.ChildCommand)
    return HostileFolderBenchmark.RunChildCommand(args[1..]);

if (args.Length == 0 || args[0] is "-h" or "--help" or "list")
{
    Console.WriteLine("Usage: dotnet run -c Release --project tests/ContrastiveNotes.Benchmarks -- <benchmark> [options]");
    Console.WriteLine("       (<benchmark> = all runs every benchmark and writes artifacts/benchmarks/results.md)");
    foreach (var b in benchmarks) Console.WriteLine($"  {b.Name,-16} {b.Description}");
    return args.Length == 0 ? 1 : 0;
}

var selected = args[0] == "all" ? benchmarks : benchmarks.Where(b => b.Name == args[0]).ToArray();
if (selected.Length == 0)
{
    Console.Error.WriteLine($"No benchmark named '{args[0]}'. Known: {string.Join(", ", benchmarks.Select(b => b.Name))}.");
    return 2;
}

var console = Console.Out;
using var tee = new TeeWriter(console);
Console.SetOut(tee);
var context = new BenchmarkContext();
var started = DateTime.UtcNow;
Console.WriteLine($"# ContrastiveNotes benchmarks ({started:yyyy-MM-dd HH:mm} UTC, {Measure.MachineLoad()} at start)");
Console.WriteLine();
Console.WriteLine($"Command: `dotnet run --project tests/ContrastiveNotes.Benchmarks -c Release -- {string.Join(' ', args)}`");
Console.WriteLine();
foreach (var benchmark in selected)
{
    benchmark.Run(args[1..], context);
    Console.WriteLine();
}
Report.WriteSummary(context);
Console.WriteLine();
Console.WriteLine($"Finished {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Measure.MachineLoad()} at the end.");
Console.SetOut(console);
if (args[0] == "all")
{
    string path = Report.SaveAtomically(tee.Text);
    Console.WriteLine($"Written to {path}");
}
return 0;
