using System.CommandLine;
using ContrastiveNotes.Notebooks.Documents;
using ContrastiveNotes.Notebooks.Exercises;

namespace ContrastiveNotes.Notebooks.Commands;

/// <summary><c>strip &lt;notebook|folder&gt; --output &lt;folder&gt;</c>: writes student versions.</summary>
internal static class StripCommand
{
    public static Command Create()
    {
        var inputs = CommandOptions.Inputs("Instructor notebooks");
        var output = new Option<string>("--output", "-o") { Description = "Folder for the student versions (must not be the input folder).", Required = true };
        var command = new Command("strip", "Make student versions: solutions replaced by a NotImplementedException, hidden tests removed, outputs cleared.")
        {
            inputs, output,
        };
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(output)!;
            var notebooks = NotebookFiles.Expand(parse.GetValue(inputs)!);
            var students = new List<(NotebookDocument Document, string Target)>();
            foreach (var path in notebooks)
            {
                var target = Path.GetFullPath(Path.Combine(folder, Path.GetFileName(path)));
                if (FileIdentity.Same(target, path))
                {
                    throw new StudentVersionException($"Refusing to write the student version of {path} over itself: choose an --output folder other than the notebook's folder.");
                }

                students.Add((StudentVersionMaker.Make(NotebookReader.Read(path)), target));
            }

            // Every notebook is checked before anything is written, so a bad marker leaves no partial set.
            foreach (var (document, target) in students)
            {
                NotebookWriter.Write(document, target);
                Console.WriteLine($"[{document.Name}] student version -> {target}");
            }

            return 0;
        });
        return command;
    }
}
