using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Dreamwell;

/// <summary>
/// A second, write-only handle on an existing file that bypasses the page cache (Linux O_DIRECT), for large sequential
/// receives: on virtual machines copying into page cache the process never touched before costs several times the
/// device write itself. Writes through it must start and end on <see cref="Alignment"/> boundaries, from an aligned
/// buffer (<see cref="AlignedBuffer"/>). Where the OS or file system has no such mode, <see cref="TryOpenForWrite"/> gives null.
/// </summary>
internal static class UncachedFile
{
    public const int Alignment = 4096;

    public static SafeFileHandle? TryOpenForWrite(string path)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var direct = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 or Architecture.X86 => 0x4000,
            Architecture.Arm64 or Architecture.Arm => 0x10000,
            _ => 0,
        };
        if (direct == 0) return null;
        var descriptor = Libc.Open(path, Libc.WriteOnly | Libc.CloseOnExec | direct);
        return descriptor < 0 ? null : new SafeFileHandle(descriptor, ownsHandle: true);
    }

    public static bool Fits(long offset, int length) => offset % Alignment == 0 && length % Alignment == 0;
}
