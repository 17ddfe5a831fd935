using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Dreamwell;

/// <summary>
/// A buffer whose start is aligned for <see cref="UncachedFile"/> writes: a slice of a pinned managed array, so a late
/// user after the owner let go still touches valid memory.
/// </summary>
internal sealed class AlignedBuffer
{
    private readonly byte[] _array;
    private readonly int _start;

    public unsafe AlignedBuffer(int length)
    {
        _array = GC.AllocateUninitializedArray<byte>(length + UncachedFile.Alignment, pinned: true);
        var address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array));
        _start = (int)((UncachedFile.Alignment - address % UncachedFile.Alignment) % UncachedFile.Alignment);
        Length = length;
    }

    public int Length { get; }

    public Span<byte> Span => _array.AsSpan(_start, Length);
}
