using Microsoft.Win32.SafeHandles;

namespace Dreamwell;

/// <summary>Positional reads that fill a whole buffer: RandomAccess.Read may return less than asked before the end.</summary>
internal static class FileRead
{
    /// <summary>Reads <paramref name="buffer"/>.Length bytes at <paramref name="offset"/>, fewer only at the end of the file; returns how many.</summary>
    public static int Fill(SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        var done = 0;
        while (done < buffer.Length)
        {
            var read = RandomAccess.Read(handle, buffer[done..], offset + done);
            if (read <= 0) break;
            done += read;
        }
        return done;
    }
}
