// Marks one version requirement of an ELF shared library as weak, so that the dynamic loader
// accepts the library on systems whose provider lacks that version.
//
// Why: TorchSharp 0.107's libLibTorchSharp.so is linked with GCC 13 and names GLIBCXX_3.4.32
// (only for std::ios_base_library_init, a no-op referenced by no relocation). Debian 12 and
// Ubuntu 22.04 ship GCC 12's libstdc++ (versions up to 3.4.30), so the loader refuses the
// library. Setting VER_FLG_WEAK in the matching Vernaux entry of .gnu.version_r turns the hard
// error into a warning-free load. See ELF gABI "Symbol Versioning" / glibc's elf/dl-version.c.
//
// This file is compiled in two places: as an MSBuild inline task (build/TorchSharpNativeFix.targets)
// and into the unit tests (with ELF_PATCHER_NO_MSBUILD defined, which drops the task wrapper).
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace ContrastiveNotes.Build
{
    /// <summary>What <see cref="ElfVersionPatcher.MarkVersionNeedWeak"/> did.</summary>
    public enum ElfPatchOutcome
    {
        /// <summary>The requirement was strong and is now weak; the file was rewritten.</summary>
        Patched,
        /// <summary>The requirement was already weak; the file was not touched.</summary>
        AlreadyWeak,
        /// <summary>The file does not require that version; the file was not touched.</summary>
        NotRequired,
    }

    /// <summary>Reads and edits the GNU symbol-versioning sections of 64-bit little-endian ELF files.</summary>
    public static class ElfVersionPatcher
    {
        /// <summary>The Vernaux flag that makes a missing version a non-fatal condition.</summary>
        public const ushort VerFlagWeak = 0x2;

        private const uint ShtGnuVerdef = 0x6ffffffd;
        private const uint ShtGnuVerneed = 0x6ffffffe;

        /// <summary>
        /// Sets <see cref="VerFlagWeak"/> on every Vernaux entry named <paramref name="versionName"/>.
        /// Only the two flag bytes change; the file is replaced atomically (write a temporary copy,
        /// then rename), so a hard link or symbolic link to a shared cache is never written through.
        /// </summary>
        public static ElfPatchOutcome MarkVersionNeedWeak(string path, string versionName)
        {
            byte[] image = ReadElf(path);
            var offsets = FindVernauxFlagOffsets(image, versionName, path);
            if (offsets.Count == 0) return ElfPatchOutcome.NotRequired;

            bool changed = false;
            foreach (int flagsOffset in offsets)
            {
                ushort flags = BitConverter.ToUInt16(image, flagsOffset);
                if ((flags & VerFlagWeak) != 0) continue;
                WriteUInt16(image, flagsOffset, (ushort)(flags | VerFlagWeak));
                changed = true;
            }
            if (!changed) return ElfPatchOutcome.AlreadyWeak;

            ReplaceAtomically(path, image);
            return ElfPatchOutcome.Patched;
        }

        /// <summary>The names of all versions the file requires, each with its Vernaux flags.</summary>
        public static IReadOnlyList<(string Library, string Version, ushort Flags)> ReadVersionNeeds(string path)
        {
            byte[] image = ReadElf(path);
            return VernauxEntries(image, path).Select(e => (e.Library, e.Version, e.Flags)).ToList();
        }

        /// <summary>The version names a shared library defines (its .gnu.version_d), e.g. GLIBCXX_3.4.30.</summary>
        public static IReadOnlyList<string> ReadVersionDefinitions(string path)
        {
            byte[] image = ReadElf(path);
            var result = new List<string>();
            foreach (var section in Sections(image, path))
            {
                if (section.Type != ShtGnuVerdef) continue;
                var strings = SectionAt(image, section.Link, path);
                long entry = section.Offset;
                for (uint i = 0; i < section.Info; i++)
                {
                    long aux = entry + ReadUInt32(image, entry + 12, path);
                    result.Add(CString(image, strings.Offset + ReadUInt32(image, aux, path), path));
                    uint next = ReadUInt32(image, entry + 16, path);
                    if (next == 0) break;
                    entry += next;
                }
            }
            return result;
        }

        /// <summary>
        /// Finds the system's libstdc++.so.6 in the usual library folders, or null when there is none
        /// (for example on musl systems or non-Linux hosts).
        /// </summary>
        public static string? FindSystemLibstdcxx()
        {
            string[] folders =
            {
                "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu",
                "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib",
            };
            foreach (string folder in folders)
            {
                string candidate = Path.Combine(folder, "libstdc++.so.6");
                if (File.Exists(candidate)) return candidate;
            }
            return null;
        }

        private static List<int> FindVernauxFlagOffsets(byte[] image, string versionName, string path) =>
            VernauxEntries(image, path).Where(e => e.Version == versionName).Select(e => e.FlagsOffset).ToList();

        /// <summary>Walks every Verneed entry (one per needed library) and its Vernaux entries (one per version).</summary>
        private static IEnumerable<(string Library, string Version, ushort Flags, int FlagsOffset)> VernauxEntries(byte[] image, string path)
        {
            foreach (var section in Sections(image, path))
            {
                if (section.Type != ShtGnuVerneed) continue;
                var strings = SectionAt(image, section.Link, path);
                long entry = section.Offset;
                for (uint i = 0; i < section.Info; i++)
                {
                    string library = CString(image, strings.Offset + ReadUInt32(image, entry + 4, path), path);
                    long aux = entry + ReadUInt32(image, entry + 8, path);
                    ushort count = ReadUInt16(image, entry + 2, path);
                    for (int j = 0; j < count; j++)
                    {
                        string version = CString(image, strings.Offset + ReadUInt32(image, aux + 8, path), path);
                        yield return (library, version, ReadUInt16(image, aux + 4, path), checked((int)(aux + 4)));
                        aux += ReadUInt32(image, aux + 12, path);
                    }
                    entry += ReadUInt32(image, entry + 12, path);
                }
            }
        }

        private readonly struct Section
        {
            public Section(uint type, long offset, uint link, uint info)
            {
                Type = type; Offset = offset; Link = link; Info = info;
            }
            public uint Type { get; }
            public long Offset { get; }
            public uint Link { get; }
            public uint Info { get; }
        }

        private static byte[] ReadElf(string path)
        {
            if (!File.Exists(path))
                throw new FileNotFoundException($"Expected an ELF shared library at '{path}', but there is no such file.", path);
            byte[] image = File.ReadAllBytes(path);
            if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
                throw new InvalidDataException(
                    $"'{path}' is not an ELF file: expected the magic bytes 7F 45 4C 46, found " +
                    $"{Hex(image, 4)}. Pass the path of a Linux shared library (.so).");
            if (image[4] != 2 || image[5] != 1)
                throw new InvalidDataException(
                    $"'{path}' is ELF class {image[4]} / data encoding {image[5]}; only 64-bit little-endian " +
                    "ELF (class 2, encoding 1) is supported.");
            return image;
        }

        private static IEnumerable<Section> Sections(byte[] image, string path)
        {
            long tableOffset = (long)ReadUInt64(image, 0x28, path);
            ushort entrySize = ReadUInt16(image, 0x3A, path);
            ushort count = ReadUInt16(image, 0x3C, path);
            if (count > 0 && entrySize < 64)
                throw new InvalidDataException($"'{path}': section header entries are {entrySize} bytes; expected 64.");
            for (int i = 0; i < count; i++)
                yield return SectionAt(image, (uint)i, path, tableOffset, entrySize);
        }

        private static Section SectionAt(byte[] image, uint index, string path)
        {
            long tableOffset = (long)ReadUInt64(image, 0x28, path);
            ushort entrySize = ReadUInt16(image, 0x3A, path);
            ushort count = ReadUInt16(image, 0x3C, path);
            if (index >= count)
                throw new InvalidDataException($"'{path}': section index {index} is out of range (the file has {count} sections).");
            return SectionAt(image, index, path, tableOffset, entrySize);
        }

        private static Section SectionAt(byte[] image, uint index, string path, long tableOffset, ushort entrySize)
        {
            long header = tableOffset + (long)index * entrySize;
            return new Section(
                type: ReadUInt32(image, header + 4, path),
                offset: (long)ReadUInt64(image, header + 24, path),
                link: ReadUInt32(image, header + 40, path),
                info: ReadUInt32(image, header + 44, path));
        }

        /// <summary>
        /// Writes a temporary copy and renames it over <paramref name="path"/>, keeping the original's modification
        /// time: the patched copy has the same size and time as the file in the package, so MSBuild's incremental
        /// copy sees it as up to date and does not overwrite it (in place, under a process that has it loaded) on
        /// every build.
        /// </summary>
        private static void ReplaceAtomically(string path, byte[] image)
        {
            string temporary = path + ".patching-" + Guid.NewGuid().ToString("N");
            DateTime modified = File.GetLastWriteTimeUtc(path);
            try
            {
                File.WriteAllBytes(temporary, image);
                File.SetLastWriteTimeUtc(temporary, modified);
                File.Replace(temporary, path, destinationBackupFileName: null); // rename(2) on Unix: atomic
            }
            finally
            {
                if (File.Exists(temporary)) File.Delete(temporary);
            }
        }

        private static void Check(byte[] image, long offset, int length, string path)
        {
            if (offset < 0 || offset + length > image.Length)
                throw new InvalidDataException(
                    $"'{path}' is truncated or corrupt: needed {length} bytes at offset {offset}, but the file has {image.Length} bytes.");
        }

        private static ushort ReadUInt16(byte[] image, long offset, string path)
        {
            Check(image, offset, 2, path);
            return BitConverter.ToUInt16(image, (int)offset);
        }

        private static uint ReadUInt32(byte[] image, long offset, string path)
        {
            Check(image, offset, 4, path);
            return BitConverter.ToUInt32(image, (int)offset);
        }

        private static ulong ReadUInt64(byte[] image, long offset, string path)
        {
            Check(image, offset, 8, path);
            return BitConverter.ToUInt64(image, (int)offset);
        }

        private static void WriteUInt16(byte[] image, int offset, ushort value)
        {
            image[offset] = (byte)(value & 0xff);
            image[offset + 1] = (byte)(value >> 8);
        }

        private static string CString(byte[] image, long offset, string path)
        {
            Check(image, offset, 1, path);
            int end = (int)offset;
            while (end < image.Length && image[end] != 0) end++;
            return Encoding.ASCII.GetString(image, (int)offset, end - (int)offset);
        }

        private static string Hex(byte[] image, int count)
        {
            var builder = new StringBuilder();
            for (int i = 0; i < Math.Min(count, image.Length); i++) builder.Append(image[i].ToString("X2")).Append(' ');
            return image.Length == 0 ? "an empty file" : builder.ToString().TrimEnd();
        }
    }

#if !ELF_PATCHER_NO_MSBUILD
    /// <summary>
    /// MSBuild task: marks GLIBCXX_3.4.32 weak in the build output's copy of libLibTorchSharp.so when
    /// the system libstdc++ does not define it. A no-op where the system already has the version.
    /// </summary>
    public class PatchLibTorchSharpForSystemLibstdcxx : Microsoft.Build.Utilities.Task
    {
        /// <summary>The library files in the output folder to inspect.</summary>
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Libraries { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

        /// <summary>The version requirement to weaken.</summary>
        public string VersionName { get; set; } = "GLIBCXX_3.4.32";

        /// <inheritdoc />
        public override bool Execute()
        {
            string? system = ElfVersionPatcher.FindSystemLibstdcxx();
            if (system != null && ElfVersionPatcher.ReadVersionDefinitions(system).Contains(VersionName))
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low,
                    $"{system} defines {VersionName}; libLibTorchSharp.so needs no patch.");
                return true;
            }
            foreach (var item in Libraries)
            {
                string file = item.ItemSpec;
                if (!File.Exists(file)) continue;
                var outcome = ElfVersionPatcher.MarkVersionNeedWeak(file, VersionName);
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal,
                    $"{file}: {VersionName} requirement {outcome} (system libstdc++: {system ?? "not found"}).");
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif
}
