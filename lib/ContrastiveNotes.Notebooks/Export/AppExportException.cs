namespace ContrastiveNotes.Notebooks.Export;

/// <summary>A notebook holds something a C# file-based app cannot express (a magic, <c>#load</c>, a foreign <c>#r</c>).</summary>
public sealed class AppExportException(string message) : Exception(message);
