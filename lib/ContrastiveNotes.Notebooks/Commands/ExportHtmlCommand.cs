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
        var mathJax = new Option<string?>("--mathjax") { Description = "A local MathJax bundle (e.g. tex-svg-full.js from the mathjax npm package) to inline so that math renders offline; without it TeX stays as written." };
        var command = new Command("export-html", "Write static, offline HTML of executed notebooks (markdown, code, outputs, plotly charts).")
        {
            inputs, output, mathJax,
        };
        command.SetAction(parse =>
        {
            var mathJaxPath = parse.GetValue(mathJax);
            if (mathJaxPath is not null && !File.Exists(mathJaxPath))
            {
                throw new FileNotFoundException($"--mathjax {mathJaxPath}: no such file. Point it at a MathJax bundle on disk (npm pack mathjax), or leave it out.", mathJaxPath);
            }

            var exporter = new HtmlExporter(mathJaxPath);
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
