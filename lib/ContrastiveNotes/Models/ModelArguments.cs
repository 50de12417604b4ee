namespace ContrastiveNotes.Models;

/// <summary>Checks of constructor arguments shared by the models.</summary>
internal static class ModelArguments
{
    /// <summary>Requires a size (channels, dimension, width) of at least 1.</summary>
    public static void RequirePositive(int value, string name)
    {
        if (value < 1)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be >= 1, but it is {value}. Pass a layer size such as 1, 3, 64 or 128.");
    }
}
