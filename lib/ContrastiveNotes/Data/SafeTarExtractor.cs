using ContrastiveNotes.IO;
using System.Formats.Tar;
using System.IO.Compression;

namespace ContrastiveNotes.Data;

/// <summary>
/// Extracts a <c>.tar.gz</c> archive without ever writing outside the target folder: entries whose
/// name is absolute or contains a <c>..</c> segment, and symbolic or hard links, are rejected before
/// anything is written. Files are extracted into a staging folder first and moved into place only when
/// the whole archive was read; existing files in the target are never overwritten. The caller bounds the bytes the
/// archive may write (from what the archive is known to hold): an entry whose declared size would pass the bound is
/// refused before any of it is written, so a hostile archive cannot fill the disk.
/// </summary>
public static class SafeTarExtractor
{
    /// <summary>Extracts <paramref name="archivePath"/> (gzip-compressed tar) into <paramref name="targetFolder"/>.</summary>
    /// <param name="archivePath">The <c>.tar.gz</c> file.</param>
    /// <param name="targetFolder">Where the files go (created if missing).</param>
    /// <param name="maxExtractedBytes">The most bytes all files together may hold, e.g. the published size of the
    /// dataset with a margin.</param>
    /// <returns>The relative paths of the extracted files.</returns>
    public static IReadOnlyList<string> ExtractTarGz(string archivePath, string targetFolder, long maxExtractedBytes)
    {
        if (maxExtractedBytes < 0)
            throw new ArgumentOutOfRangeException(nameof(maxExtractedBytes), maxExtractedBytes, "Expected a bound of 0 bytes or more.");
        string target = Path.GetFullPath(targetFolder);
        Directory.CreateDirectory(target);
        TemporaryNames.RemoveAbandoned(target, ".extract-");
        string staging = TemporaryNames.New(target, ".extract-");
        var extracted = new List<string>();
        long written = 0;
        try
        {
            using (var file = File.OpenRead(archivePath))
            using (var gzip = new GZipStream(file, CompressionMode.Decompress))
            using (var reader = new TarReader(gzip))
            {
                for (TarEntry? entry = reader.GetNextEntry(); entry != null; entry = reader.GetNextEntry())
                {
                    string relative = CheckedRelativePath(entry, archivePath);
                    if (relative.Length == 0) continue;
                    string destination = Path.Combine(staging, relative);
                    if (entry.EntryType is TarEntryType.Directory)
                    {
                        Directory.CreateDirectory(destination);
                        continue;
                    }
                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile))
                        continue; // Global/extended headers and other metadata write nothing.
                    written += entry.Length;
                    if (entry.Length < 0 || written > maxExtractedBytes)
                        throw TooLarge(archivePath, entry, written, maxExtractedBytes);
                    Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                    entry.ExtractToFile(destination, overwrite: false);
                    extracted.Add(relative);
                }
            }
            foreach (string relative in extracted)
            {
                string destination = Path.Combine(target, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                if (!File.Exists(destination)) File.Move(Path.Combine(staging, relative), destination);
            }
            return extracted;
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException(
                $"'{archivePath}' is not a readable .tar.gz archive ({e.Message}); expected a gzip-compressed tar file. Delete it and download it again.", e);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    private static string CheckedRelativePath(TarEntry entry, string archivePath)
    {
        string name = entry.Name.Replace('\\', '/');
        if (entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink)
            throw Unsafe(archivePath, entry.Name, "is a link (links could point outside the target folder)");
        if (name.StartsWith('/') || Path.IsPathRooted(entry.Name) || (name.Length > 1 && name[1] == ':'))
            throw Unsafe(archivePath, entry.Name, "is an absolute path");
        var segments = name.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Any(s => s == ".."))
            throw Unsafe(archivePath, entry.Name, "contains '..'");
        return Path.Combine(segments.Where(s => s != ".").ToArray());
    }

    private static InvalidDataException TooLarge(string archivePath, TarEntry entry, long written, long bound) =>
        new(FormattableString.Invariant(
            $"Refusing to extract '{archivePath}': with entry '{entry.Name}' ({entry.Length:N0} bytes) its files would hold ") +
            FormattableString.Invariant($"{written:N0} bytes; expected at most {bound:N0} bytes, what the archive is known to contain. ") +
            "The archive is not the published dataset: delete it and download it from the official source.");

    private static InvalidDataException Unsafe(string archivePath, string entryName, string problem) =>
        new($"Refusing to extract '{archivePath}': entry '{entryName}' {problem}; expected only relative paths inside the target folder. " +
            "The archive is not the published dataset: delete it and download it from the official source.");
}
