using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>
/// Lets native libraries next to referenced DLLs load (TorchSharp's libLibTorchSharp.so sits next
/// to TorchSharp.dll in the library's output folder): every assembly load context that appears gets
/// a <see cref="AssemblyLoadContext.ResolvingUnmanagedDll"/> handler probing the registered folders.
/// </summary>
public static class NativeLibraryProbe
{
    private static readonly List<string> Folders = new();
    private static readonly HashSet<AssemblyLoadContext> Hooked = new();
    private static readonly object Gate = new();
    private static bool _installed;

    /// <summary>Adds a folder to probe for native libraries and installs the hooks once.</summary>
    public static void AddFolder(string folder)
    {
        lock (Gate)
        {
            if (!Folders.Contains(folder))
            {
                Folders.Add(folder);
            }

            if (_installed)
            {
                return;
            }

            _installed = true;
            AppDomain.CurrentDomain.AssemblyLoad += (_, e) => Hook(e.LoadedAssembly);
            foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
            {
                Hook(assembly);
            }
        }
    }

    private static void Hook(Assembly assembly)
    {
        var context = AssemblyLoadContext.GetLoadContext(assembly);
        if (context is null)
        {
            return;
        }

        lock (Gate)
        {
            if (Hooked.Add(context))
            {
                context.ResolvingUnmanagedDll += Resolve;
            }
        }
    }

    private static IntPtr Resolve(Assembly requesting, string name)
    {
        string[] folders;
        lock (Gate)
        {
            folders = Folders.ToArray();
        }

        var requestingFolder = Path.GetDirectoryName(requesting.Location);
        var candidates = requestingFolder is { Length: > 0 } ? folders.Prepend(requestingFolder) : folders;
        foreach (var folder in candidates)
        {
            foreach (var file in FileNames(name))
            {
                var path = Path.Combine(folder, file);
                if (File.Exists(path) && NativeLibrary.TryLoad(path, out var handle))
                {
                    return handle;
                }
            }
        }

        return IntPtr.Zero;
    }

    private static IEnumerable<string> FileNames(string name)
    {
        yield return name;
        yield return $"lib{name}.so";
        yield return $"{name}.so";
        yield return $"lib{name}.dylib";
        yield return $"{name}.dylib";
        yield return $"{name}.dll";
    }
}
