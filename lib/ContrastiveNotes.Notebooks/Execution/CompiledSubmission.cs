using Microsoft.CodeAnalysis.Scripting;

namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>A compiled cell, ready to run in its <see cref="ScriptSession"/>.</summary>
/// <param name="Script">The Roslyn script chained to the previous submissions.</param>
/// <param name="HasReturnValue">True when the cell ends in a value expression (displayed like the kernel does).</param>
public sealed record CompiledSubmission(Script<object> Script, bool HasReturnValue);
