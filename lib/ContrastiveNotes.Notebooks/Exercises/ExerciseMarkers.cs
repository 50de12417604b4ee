namespace ContrastiveNotes.Notebooks.Exercises;

/// <summary>
/// The nbgrader-style markers in C# cells (substring match on a line):
/// <c>// BEGIN SOLUTION</c> ... <c>// END SOLUTION</c> and
/// <c>// BEGIN HIDDEN TESTS</c> ... <c>// END HIDDEN TESTS</c>. Regions may not nest.
/// </summary>
public static class ExerciseMarkers
{
    /// <summary>Starts a solution region.</summary>
    public const string BeginSolution = "// BEGIN SOLUTION";

    /// <summary>Ends a solution region.</summary>
    public const string EndSolution = "// END SOLUTION";

    /// <summary>Starts hidden tests (removed from student copies, restored when grading).</summary>
    public const string BeginHiddenTests = "// BEGIN HIDDEN TESTS";

    /// <summary>Ends hidden tests.</summary>
    public const string EndHiddenTests = "// END HIDDEN TESTS";

    /// <summary>Finds the regions of a cell, as 0-based line ranges including the marker lines.</summary>
    /// <exception cref="ExerciseMarkerException">A marker is unbalanced or nested (with its 1-based line).</exception>
    public static IReadOnlyList<MarkerRegion> Scan(string source)
    {
        var lines = source.Split('\n');
        var regions = new List<MarkerRegion>();
        (MarkerKind Kind, int Line)? open = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var kind = Classify(lines[i], out var begins);
            if (kind is null)
            {
                continue;
            }

            if (begins)
            {
                if (open is { } outer)
                {
                    throw new ExerciseMarkerException(i + 1, $"'{Marker(kind.Value, true)}' is nested inside the {Describe(outer.Kind)} region opened on line {outer.Line + 1}; close that region first with '{Marker(outer.Kind, false)}'.");
                }

                open = (kind.Value, i);
            }
            else if (open is { } current && current.Kind == kind)
            {
                regions.Add(new MarkerRegion(kind.Value, current.Line, i));
                open = null;
            }
            else
            {
                var expected = open is { } o ? $"'{Marker(o.Kind, false)}' (region opened on line {o.Line + 1})" : "no end marker (no region is open)";
                throw new ExerciseMarkerException(i + 1, $"'{Marker(kind.Value, false)}' has no matching '{Marker(kind.Value, true)}'; expected {expected}.");
            }
        }

        if (open is { } unclosed)
        {
            throw new ExerciseMarkerException(unclosed.Line + 1, $"'{Marker(unclosed.Kind, true)}' is never closed; add '{Marker(unclosed.Kind, false)}' after the {Describe(unclosed.Kind)}.");
        }

        return regions;
    }

    /// <summary>True when the source contains any marker.</summary>
    public static bool HasMarkers(string source) => source.Split('\n').Any(l => Classify(l, out _) is not null);

    private static MarkerKind? Classify(string line, out bool begins)
    {
        begins = line.Contains(BeginSolution, StringComparison.Ordinal) || line.Contains(BeginHiddenTests, StringComparison.Ordinal);
        if (line.Contains(BeginSolution, StringComparison.Ordinal) || line.Contains(EndSolution, StringComparison.Ordinal))
        {
            return MarkerKind.Solution;
        }

        if (line.Contains(BeginHiddenTests, StringComparison.Ordinal) || line.Contains(EndHiddenTests, StringComparison.Ordinal))
        {
            return MarkerKind.HiddenTests;
        }

        return null;
    }

    private static string Marker(MarkerKind kind, bool begin) => (kind, begin) switch
    {
        (MarkerKind.Solution, true) => BeginSolution,
        (MarkerKind.Solution, false) => EndSolution,
        (MarkerKind.HiddenTests, true) => BeginHiddenTests,
        _ => EndHiddenTests,
    };

    private static string Describe(MarkerKind kind) => kind == MarkerKind.Solution ? "solution" : "hidden tests";
}
