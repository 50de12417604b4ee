using System.CommandLine;
using ContrastiveNotes.Notebooks.Commands;
using ContrastiveNotes.Notebooks.Documents;
using ContrastiveNotes.Notebooks.Exercises;
using ContrastiveNotes.Notebooks.Execution;
using ContrastiveNotes.Notebooks.Parameters;

if (args is [ContrastiveNotes.Notebooks.Sandbox.KernelWorker.CommandName])
{
    return ContrastiveNotes.Notebooks.Sandbox.KernelWorker.Run(); // inside a grading sandbox; takes its channel before anything touches the console
}

_ = ToolConsole.Out; // before any kernel redirects the console
var root = new RootCommand("contrastive-notebooks: run, strip, grade, export and check the course's C# Polyglot notebooks headless.")
{
    RunCommand.Create(),
    StripCommand.Create(),
    GradeCommand.Create(),
    ExportHtmlCommand.Create(),
    ExportAppCommand.Create(),
    CheckCommand.Create(),
};

try
{
    return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (e is NotebookFormatException or ParameterException or IOException or StudentVersionException or OptionException
    or ArgumentOutOfRangeException or ContrastiveNotes.Notebooks.Export.AppExportException or ContrastiveNotes.Notebooks.Sandbox.SandboxException)
{
    ToolConsole.Error.WriteLine($"error: {e.Message}");
    return 2;
}
