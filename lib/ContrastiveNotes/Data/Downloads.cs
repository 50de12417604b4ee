using ContrastiveNotes.IO;

namespace ContrastiveNotes.Data;

/// <summary>Downloads a file to a temporary name next to its destination; the caller verifies and renames it.</summary>
internal static class Downloads
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromMinutes(10) };

    /// <summary>Downloads <paramref name="url"/> to a new temporary file in <paramref name="folder"/> and returns its path.</summary>
    public static string ToTemporaryFile(Uri url, string folder, string suffix = ".tmp")
    {
        Directory.CreateDirectory(folder);
        TemporaryNames.RemoveAbandoned(folder, ".download-", suffix);
        string temporary = TemporaryNames.New(folder, ".download-", suffix);
        try
        {
            using var response = Client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
            response.EnsureSuccessStatusCode();
            using var source = response.Content.ReadAsStream();
            using var target = File.Create(temporary);
            source.CopyTo(target);
            return temporary;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            // IOException: the connection dropped mid-body (HttpIOException) or the disk is full.
            TemporaryNames.TryDelete(temporary);
            throw new IOException(
                $"Could not download {url} into {folder} ({e.GetType().Name}: {e.Message}); the partial file was removed. Expected to reach the dataset's server " +
                "and to have space for the file; check the internet connection and the disk, or download the file by hand into the dataset folder and load again without download.", e);
        }
    }

    /// <summary>Renames <paramref name="temporary"/> to <paramref name="destination"/> unless that exists (the user's file wins).</summary>
    public static void MoveIntoPlace(string temporary, string destination)
    {
        if (File.Exists(destination)) { File.Delete(temporary); return; }
        File.Move(temporary, destination);
    }
}
