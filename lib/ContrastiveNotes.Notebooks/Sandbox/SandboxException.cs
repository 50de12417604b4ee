namespace ContrastiveNotes.Notebooks.Sandbox;

/// <summary>The sandbox cannot be set up or run here; the message says why and what to do.</summary>
public sealed class SandboxException(string message) : Exception(message);
