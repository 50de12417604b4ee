using System.Net;

namespace ContrastiveNotes.Interactive;

/// <summary>What <see cref="Course.Setup"/> chose, shown under the notebook's first cell.</summary>
/// <param name="Device">The device tensors and models go to.</param>
/// <param name="DeviceReason">Why that device was chosen.</param>
/// <param name="Threads">TorchSharp intra-op CPU threads.</param>
/// <param name="Seed">The global seed set for TorchSharp.</param>
/// <param name="TorchSharpVersion">Version of the TorchSharp assembly.</param>
/// <param name="LibraryVersion">Version of the ContrastiveNotes library.</param>
/// <param name="MallocTuned">Whether glibc's mmap threshold was pinned (Linux only; opt-in, see <see cref="Course.Setup"/>).</param>
[TypeFormatterSource(typeof(HtmlFormatterSource<CourseInfo>))]
public sealed record CourseInfo(string Device, string DeviceReason, int Threads, long Seed, string TorchSharpVersion, string LibraryVersion, bool MallocTuned) : IHtmlDisplay
{
    /// <inheritdoc />
    public override string ToString() =>
        $"ContrastiveNotes {LibraryVersion} · TorchSharp {TorchSharpVersion} · device {Device} · {Threads} CPU threads · seed {Seed}{(MallocTuned ? " · malloc tuned" : "")}\n{DeviceReason}";

    /// <summary>The summary as a small HTML block.</summary>
    public string ToHtml() => "<div class=\"contrastive-course-info\" style=\"font-family:sans-serif;font-size:13px\">" +
        WebUtility.HtmlEncode(ToString()).Replace("\n", "<br/>", StringComparison.Ordinal) + "</div>";
}
