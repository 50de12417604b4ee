using System.CommandLine;
using ContrastiveNotes.Notebooks.Exercises;
using ContrastiveNotes.Notebooks.Sandbox;

namespace ContrastiveNotes.Notebooks.Commands;

/// <summary><c>grade &lt;submissions&gt; --key &lt;instructor notebook&gt;...</c>: scores submissions, each in a sandbox.</summary>
internal static class GradeCommand
{
    public static Command Create()
    {
        var submissions = new Argument<string>("submissions") { Description = "Folder of submissions: <student>.ipynb (one key) or <student>/<key file name> (any number of keys)." };
        var key = new Option<string[]>("--key", "-k") { Description = "An instructor notebook (with solutions and hidden tests); repeat for several notebooks.", Required = true, Arity = ArgumentArity.OneOrMore };
        var output = CommandOptions.Output("artifacts/grades");
        var cellTimeout = CommandOptions.CellTimeout(120);
        var timeout = CommandOptions.NotebookTimeout(600);
        var profile = new Option<string>("--profile", "-p") { Description = "Parameter profile to run submissions with, when the key defines it.", DefaultValueFactory = _ => "fast" };
        var parallel = new Option<int>("--parallel") { Description = "Submissions graded at once (default: the core count).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var memory = new Option<double>("--memory-gib") { Description = "Memory limit of each sandbox in GiB.", DefaultValueFactory = _ => SandboxLimits.Default.MemoryBytes / (double)(1L << 30) };
        var tasks = new Option<int>("--max-tasks") { Description = "Processes and threads each sandbox may hold at once.", DefaultValueFactory = _ => SandboxLimits.Default.Processes };
        var unsafeNoSandbox = new Option<bool>("--unsafe-no-sandbox") { Description = "Grade without a sandbox where bwrap cannot run. Submissions can then read the key and forge their scores; the score table says so." };
        var courseRoot = new Option<string?>("--course-root") { Description = "The course repository whose lib/ and data/ submissions see (default: the one this tool was built in)." };
        var command = new Command("grade", "Run each submission in a sandbox with the key's hidden tests restored; write executed notebooks, feedback and score tables.")
        {
            submissions, key, output, cellTimeout, timeout, profile, parallel, memory, tasks, unsafeNoSandbox, courseRoot,
        };
        command.SetAction(parse =>
        {
            var gib = parse.GetValue(memory);
            if (!double.IsFinite(gib) || gib <= 0 || gib > 1024)
            {
                throw new OptionException($"--memory-gib must be a number of GiB greater than 0 and at most 1024; found {gib}.");
            }

            if (parse.GetValue(parallel) is < 1 or > 64)
            {
                throw new OptionException($"--parallel must be between 1 and 64; found {parse.GetValue(parallel)}.");
            }

            var options = new GradeOptions
            {
                OutputFolder = parse.GetValue(output)!,
                CellTimeout = TimeLimits.FromSeconds(parse.GetValue(cellTimeout), "--cell-timeout"),
                NotebookTimeout = TimeLimits.FromSeconds(parse.GetValue(timeout), "--timeout"),
                Profile = parse.GetValue(profile)!,
                Parallelism = parse.GetValue(parallel),
                Limits = (SandboxLimits.Default with { MemoryBytes = (long)(gib * (1L << 30)), Processes = parse.GetValue(tasks) }).Validated(),
                UnsafeNoSandbox = parse.GetValue(unsafeNoSandbox),
                CourseRoot = parse.GetValue(courseRoot),
            };
            var report = new Grader(Console.Out).Grade(parse.GetValue(submissions)!, parse.GetValue(key)!, options);
            Console.WriteLine();
            Console.Write(File.ReadAllText(Path.Combine(options.OutputFolder, "class.md")));
            Console.WriteLine($"{report.Results.Count} submission(s) -> {Path.GetFullPath(options.OutputFolder)}");
            return report.ExitCode;
        });
        return command;
    }
}
