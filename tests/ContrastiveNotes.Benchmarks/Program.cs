using ContrastiveNotes.Benchmarks;

// Add a benchmark: write a class implementing IBenchmark in its own file and list it here.
IBenchmark[] benchmarks =
{
    new AugmentationBenchmark(),
};

if (args.Length == 0 || args[0] is "-h" or "--help" or "list")
{
    Console.WriteLine("Usage: dotnet run -c Release --project tests/ContrastiveNotes.Benchmarks -- <benchmark> [options]");
    Console.WriteLine("       (<benchmark> = all runs every benchmark)");
    foreach (var b in benchmarks) Console.WriteLine($"  {b.Name,-16} {b.Description}");
    return args.Length == 0 ? 1 : 0;
}

var selected = args[0] == "all" ? benchmarks : benchmarks.Where(b => b.Name == args[0]).ToArray();
if (selected.Length == 0)
{
    Console.Error.WriteLine($"No benchmark named '{args[0]}'. Known: {string.Join(", ", benchmarks.Select(b => b.Name))}.");
    return 2;
}
foreach (var benchmark in selected) benchmark.Run(args[1..]);
return 0;
