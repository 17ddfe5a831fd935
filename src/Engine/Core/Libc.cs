using System.Runtime.InteropServices;

namespace Dreamwell;

/// <summary>The few POSIX calls .NET does not offer: opening with flags of our own (O_DIRECT) and opening a directory.</summary>
internal static class Libc
{
    public const int ReadOnly = 0x0, WriteOnly = 0x1;

    public static int CloseOnExec => OperatingSystem.IsMacOS() ? 0x1000000 : 0x80000;

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    public static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static extern int Fsync(int descriptor);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    public static extern int Close(int descriptor);
}
