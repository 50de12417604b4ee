using ContrastiveNotes.IO;
using System.Globalization;
using System.Runtime.CompilerServices;
using ContrastiveNotes.Visualization;

namespace ContrastiveNotes.Interactive;

/// <summary>
/// What a course notebook needs from its host when it runs as a C# file-based app (<c>dotnet run 03-simclr.cs</c>),
/// the form <c>contrastive-notebooks export-app</c> writes so that the course outlives the deprecated .NET
/// Interactive kernel: the notebook's folder as working directory (as in the kernel) and a <see cref="display"/> that
/// writes charts, image grids and tables as files next to the app and prints everything else.
/// </summary>
public static class NotebookApp
{
    private static string? _outputFolder;
    private static int _outputCount;

    /// <summary>The folder the app's charts, images and tables are written to (<c>&lt;notebook&gt;-outputs</c> next to the app).</summary>
    public static string OutputFolder => _outputFolder ?? throw new InvalidOperationException("NotebookApp.Start has not run: an exported app calls it in its first line.");

    /// <summary>
    /// Sets the working directory to the notebook's folder and prepares the output folder. <paramref name="appFile"/>
    /// is filled in by the compiler with the app's own path.
    /// </summary>
    /// <param name="notebookName">The notebook's file name without extension, e.g. <c>03-simclr</c>.</param>
    /// <param name="notebookFolder">The notebook's folder, relative to the app's folder.</param>
    /// <param name="appFile">Leave out: the path of the calling source file.</param>
    public static void Start(string notebookName, string notebookFolder, [CallerFilePath] string appFile = "")
    {
        var appFolder = Path.GetDirectoryName(Path.GetFullPath(appFile)) ?? Directory.GetCurrentDirectory();
        _outputFolder = Directory.CreateDirectory(Path.Combine(appFolder, notebookName + "-outputs")).FullName;
        _outputCount = 0;
        var folder = Path.GetFullPath(Path.Combine(appFolder, notebookFolder));
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"The notebook folder {folder} does not exist. Run the app from its repository checkout, or export it again.");
        Directory.SetCurrentDirectory(folder);
    }

    /// <summary>
    /// The app's form of the kernel's <c>display(x)</c> (and of a cell's final value): a chart becomes a standalone
    /// HTML page, an image grid a PNG, another HTML-displayable value (a table, the course summary) an HTML page and
    /// its text; anything else is printed. Returns <paramref name="value"/>.
    /// </summary>
    /// <param name="value">What to show.</param>
    /// <param name="mimeTypes">Ignored (the kernel's signature).</param>
    public static object? display(object? value, params string[] mimeTypes)
    {
        switch (value)
        {
            case ChartView chart:
                Save(chart.ToString(), "html", chart.ToStandaloneHtml());
                break;
            case ImageGrid grid:
                Save(grid.ToString(), "png", grid.Png);
                break;
            case IHtmlDisplay html:
                Console.WriteLine(value);
                Save(value.GetType().Name, "html", $"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n{html.ToHtml()}\n</body></html>\n");
                break;
            default:
                Console.WriteLine(value);
                break;
        }
        return value;
    }

    private static void Save(string what, string extension, object content)
    {
        var name = $"output-{Interlocked.Increment(ref _outputCount).ToString("00", CultureInfo.InvariantCulture)}.{extension}";
        var path = Path.Combine(OutputFolder, name);
        if (content is byte[] bytes) AtomicFile.WriteAllBytes(path, bytes);
        else AtomicFile.WriteAllText(path, (string)content);
        Console.WriteLine($"[{what}] -> {path}");
    }
}
