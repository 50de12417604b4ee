namespace ContrastiveNotes.Benchmarks;

/// <summary>One benchmark program: measures side by side and prints a markdown table.</summary>
internal interface IBenchmark
{
    /// <summary>The command-line name that selects it.</summary>
    string Name { get; }

    /// <summary>One sentence shown in the list of benchmarks.</summary>
    string Description { get; }

    /// <summary>Runs the benchmark, writing its report (markdown) to standard output and its target rows to <paramref name="context"/>.</summary>
    void Run(string[] args, BenchmarkContext context);
}
