using System.Text.Json.Nodes;
using ContrastiveNotes.Notebooks.Documents;
using ContrastiveNotes.Notebooks.Tests.Support;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;

namespace ContrastiveNotes.Notebooks.Tests;

/// <summary>
/// The tool reads and writes .ipynb itself (NotebookReader / NotebookWriter) because .NET Interactive's Documents
/// package does not round-trip a notebook faithfully. Both halves of that decision are checked here.
/// </summary>
public sealed class DocumentRoundTripTests
{
    [Theory]
    [MemberData(nameof(RepositoryPaths.CourseNotebookNames), MemberType = typeof(RepositoryPaths))]
    public void TheToolWritesEveryCourseNotebookBackUnchanged(string name)
    {
        var path = Path.Combine(RepositoryPaths.Notebooks, name);
        var original = JsonNode.Parse(File.ReadAllText(path))!;

        var written = JsonNode.Parse(NotebookWriter.Serialize(NotebookReader.Read(path)))!;

        Assert.True(JsonNode.DeepEquals(original, written), $"{name} changed in a read/write round trip");
    }

    [Fact]
    public void TheToolKeepsAttachmentsRawCellsOutputsAndMetadataThatDocumentsLoses()
    {
        var original = NotebookWithEverything();

        var ours = JsonNode.Parse(NotebookWriter.Serialize(NotebookReader.Parse(original.ToJsonString())))!;
        var theirs = JsonNode.Parse(ThroughDocuments(original.ToJsonString()))!;

        Assert.True(JsonNode.DeepEquals(Multiline(original), Multiline(ours)), $"the tool changed the notebook:\n{ours.ToJsonString()}");
        // What Microsoft.DotNet.Interactive.Documents 1.0.0-beta.26120.1 does to the same notebook:
        Assert.Null(theirs["cells"]![0]!["attachments"]);
        Assert.Equal("code", (string?)theirs["cells"]![2]!["cell_type"]);
        Assert.NotNull(theirs["metadata"]!["kernelInfo"]);
        Assert.IsType<JsonArray>(theirs["cells"]![1]!["outputs"]![0]!["data"]!["image/png"]);
        // ... while it keeps the ids and the cell metadata the course relies on.
        Assert.Equal((string?)original["cells"]![1]!["id"], (string?)theirs["cells"]![1]!["id"]);
        Assert.True(JsonNode.DeepEquals(original["cells"]![1]!["metadata"], theirs["cells"]![1]!["metadata"]));
    }

    [Fact]
    public void DocumentsCannotWriteBackANotebookItParsedAsJupyterJson()
    {
        var document = Notebook.Parse(NotebookWithEverything().ToJsonString(), KernelInfos());

        Assert.Throws<InvalidCastException>(() => Notebook.ToJupyterJson(document, "C#"));
    }

    /// <summary>
    /// The notebook with every nbformat multiline string (a cell's source, a stream's text, a MIME bundle's values)
    /// as one string: nbformat lets either form be written, and both mean the same text.
    /// </summary>
    private static JsonNode Multiline(JsonNode node)
    {
        var copy = node.DeepClone();
        foreach (var cell in copy["cells"]!.AsArray())
        {
            Join(cell!.AsObject(), "source");
            foreach (var output in cell["outputs"]?.AsArray() ?? [])
            {
                Join(output!.AsObject(), "text");
                if (output["data"] is JsonObject data)
                    foreach (var mime in data.Select(p => p.Key).ToList()) Join(data, mime);
            }
        }

        return copy;
    }

    private static void Join(JsonObject owner, string key)
    {
        if (owner[key] is JsonArray lines) owner[key] = string.Concat(lines.Select(l => (string?)l));
    }

    private static KernelInfoCollection KernelInfos() => new() { new KernelInfo("csharp", "C#") };

    private static string ThroughDocuments(string json)
    {
        using var stream = new MemoryStream();
        Notebook.Write(Notebook.Parse(json, KernelInfos()), stream, KernelInfos());
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static JsonObject NotebookWithEverything()
    {
        var notebook = new Fixture()
            .Markdown("![pasted](attachment:a.png)")
            .Code("var x = 1;\nx", m => m["nbgrader"] = new JsonObject { ["grade_id"] = "a", ["points"] = 2 }, id: "code-1")
            .Build();
        var cells = notebook["cells"]!.AsArray();
        cells[0]!["attachments"] = new JsonObject { ["a.png"] = new JsonObject { ["image/png"] = "iVBORw0KGgo=" } };
        cells[1]!["execution_count"] = 1;
        cells[1]!["outputs"] = new JsonArray(new JsonObject
        {
            ["data"] = new JsonObject { ["image/png"] = "iVBORw0KGgo=", ["text/plain"] = "1" },
            ["execution_count"] = 1,
            ["metadata"] = new JsonObject(),
            ["output_type"] = "execute_result",
        });
        cells.Add(new JsonObject { ["cell_type"] = "raw", ["id"] = "raw-1", ["metadata"] = new JsonObject(), ["source"] = "raw text" });
        notebook["metadata"]!["papermill"] = new JsonObject { ["parameters"] = new JsonObject { ["epochs"] = 1 } };
        return notebook;
    }
}
