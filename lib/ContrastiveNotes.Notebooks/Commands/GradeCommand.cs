using System.CommandLine;
using ContrastiveNotes.Notebooks.Exercises;

namespace ContrastiveNotes.Notebooks.Commands;

/// <summary><c>grade &lt;submissions&gt; --key &lt;instructor notebook&gt;</c>: scores submissions.</summary>
internal static class GradeCommand
{
    public static Command Create()
    {
        var submissions = new Argument<string>("submissions") { Description = "Folder of submitted notebooks (one .ipynb per student, named for the student)." };
        var key = new Option<string>("--key", "-k") { Description = "The instructor notebook (with solutions and hidden tests).", Required = true };
        var output = CommandOptions.Output("artifacts/grades");
        var cellTimeout = CommandOptions.CellTimeout(120);
        var timeout = CommandOptions.NotebookTimeout(600);
        var profile = new Option<string>("--profile", "-p") { Description = "Parameter profile to run submissions with, when the key defines it.", DefaultValueFactory = _ => "fast" };
        var command = new Command("grade", "Run each submission with the key's hidden tests restored and write scores.csv and scores.md.")
        {
            submissions, key, output, cellTimeout, timeout, profile,
        };
        command.SetAction(parse =>
        {
            var options = new GradeOptions
            {
                OutputFolder = parse.GetValue(output)!,
                CellTimeout = TimeSpan.FromSeconds(parse.GetValue(cellTimeout)),
                NotebookTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                Profile = parse.GetValue(profile)!,
            };
            var results = new Grader(Console.Out).Grade(parse.GetValue(submissions)!, parse.GetValue(key)!, options);
            Console.WriteLine();
            Console.Write(File.ReadAllText(Path.Combine(options.OutputFolder, "scores.md")));
            Console.WriteLine($"{results.Count} submission(s) graded -> {Path.GetFullPath(options.OutputFolder)}");
            return 0;
        });
        return command;
    }
}
