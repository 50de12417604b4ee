using System.CommandLine;

namespace ContrastiveNotes.Notebooks.Commands;

/// <summary>Options shared by several commands.</summary>
internal static class CommandOptions
{
    public static Option<string> Output(string defaultFolder) => new("--output", "-o")
    {
        Description = "Folder the results are written to.",
        DefaultValueFactory = _ => defaultFolder,
    };

    public static Argument<string[]> Inputs(string what) => new("inputs")
    {
        Description = $"{what} (.ipynb files or folders holding them).",
        Arity = ArgumentArity.OneOrMore,
    };

    public static Option<double> CellTimeout(double seconds) => new("--cell-timeout")
    {
        Description = "Time limit of one cell in seconds (compiling and running it: the kernel does both in one step).",
        DefaultValueFactory = _ => seconds,
    };

    public static Option<double> NotebookTimeout(double seconds) => new("--timeout")
    {
        Description = "Time limit of one notebook in seconds.",
        DefaultValueFactory = _ => seconds,
    };

    public static Option<string?> Profile(string use) => new("--profile", "-p")
    {
        Description = $"Parameter profile from metadata.contrastive_notes.profiles (e.g. fast, full) {use}.",
    };

    public static Option<string[]> Sets() => new("--set", "-s")
    {
        Description = "Parameter override name=value (repeatable); wins over the profile.",
        Arity = ArgumentArity.ZeroOrMore,
    };
}
