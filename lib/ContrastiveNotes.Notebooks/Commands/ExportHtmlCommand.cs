using ContrastiveNotes.IO;
using System.CommandLine;
using ContrastiveNotes.Notebooks.Documents;
using ContrastiveNotes.Notebooks.Export;

namespace ContrastiveNotes.Notebooks.Commands;

/// <summary><c>export-html &lt;executed notebook|folder&gt; --output &lt;folder&gt;</c>.</summary>
internal static class ExportHtmlCommand
{
    public static Command Create()
    {
        var inputs = CommandOptions.Inputs("Executed notebooks");
        var output = CommandOptions.Output("artifacts/html");
        var command = new Command("export-html", "Write static, offline HTML of executed notebooks (markdown with KaTeX math, code, outputs, plotly charts).")
        {
            inputs, output,
        };
        command.SetAction(parse =>
        {
            var exporter = new HtmlExporter();
            foreach (var path in NotebookFiles.Expand(parse.GetValue(inputs)!))
            {
                var document = NotebookReader.Read(path);
                var target = Path.Combine(parse.GetValue(output)!, document.Name + ".html");
                AtomicFile.WriteAllText(target, exporter.Export(document));
                Console.WriteLine($"[{document.Name}] html -> {Path.GetFullPath(target)}");
            }

            return 0;
        });
        return command;
    }
}
