namespace ContrastiveNotes.Notebooks.Commands;

/// <summary>A command-line option has an impossible value; the message names the option, the value and the range.</summary>
public sealed class OptionException(string message) : Exception(message);
