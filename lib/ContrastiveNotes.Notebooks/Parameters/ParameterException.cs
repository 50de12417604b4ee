namespace ContrastiveNotes.Notebooks.Parameters;

/// <summary>A parameter override cannot be applied (unknown name, wrong type, missing profile or parameters cell).</summary>
public sealed class ParameterException(string message) : Exception(message);
