using System.CommandLine;
using ContrastiveNotes.Notebooks.Documents;
using ContrastiveNotes.Notebooks.Linting;

namespace ContrastiveNotes.Notebooks.Commands;

/// <summary><c>check &lt;notebook|folder&gt;</c>: lints notebooks, one line per problem, non-zero exit on any.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var inputs = CommandOptions.Inputs("Notebooks to check");
        var command = new Command("check", "Lint notebooks: nbformat 4.5 shape, Polyglot metadata, parameters cell, fast/full profiles, no outputs, exercise markers and checks.")
        {
            inputs,
        };
        command.SetAction(parse =>
        {
            var notebooks = NotebookFiles.Expand(parse.GetValue(inputs)!);
            var problems = notebooks.SelectMany(NotebookLinter.Check).ToList();
            problems.ForEach(Console.WriteLine);
            Console.WriteLine(problems.Count == 0
                ? $"{notebooks.Count} notebook(s) checked, no problems."
                : $"{notebooks.Count} notebook(s) checked, {problems.Count} problem(s).");
            return problems.Count == 0 ? 0 : 1;
        });
        return command;
    }
}
