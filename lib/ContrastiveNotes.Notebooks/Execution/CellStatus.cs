namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>How one cell ended.</summary>
public enum CellStatus
{
    /// <summary>Ran to its end without an exception.</summary>
    Completed,

    /// <summary>Did not compile or threw.</summary>
    Failed,

    /// <summary>Ran past its time limit; the kernel cannot abort it, so the run ends.</summary>
    TimedOut,

    /// <summary>The kernel ended while the cell ran (the cell exited the process, ran out of memory, broke the kernel's channel); the run ends.</summary>
    KernelLost,
}
