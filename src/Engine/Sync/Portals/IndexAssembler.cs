namespace Dreamwell.Sync;

/// <summary>
/// Joins the pieces of index entries that did not fit one frame (PortalWire.EncodeIndex) back into whole states, for
/// one peer link and portal. Pieces of a state arrive consecutively, on one link, in order; anything else, and any
/// state whose chunks do not add up to its size, is a protocol violation.
/// </summary>
internal sealed class IndexAssembler
{
    private readonly object _gate = new();
    private SyncFileState? _head;
    private List<SyncChunk>? _chunks;
    private long _offset;

    public IReadOnlyList<SyncFileState> Add(IReadOnlyList<PortalWire.IndexPiece> pieces)
    {
        var complete = new List<SyncFileState>(pieces.Count);
        lock (_gate)
            foreach (var (piece, more) in pieces)
            {
                if (_head is null)
                {
                    (_head, _chunks, _offset) = (piece, [], 0);
                }
                else if (piece.Path != _head.Path || piece.Size != _head.Size || piece.Sequence != _head.Sequence
                         || piece.ModifiedUnixNs != _head.ModifiedUnixNs || piece.Deleted || !piece.Version.Equals(_head.Version))
                    throw Bad($"a piece of '{Short(piece.Path)}' does not continue the entry for '{Short(_head.Path)}'");
                foreach (var chunk in piece.Chunks)
                {
                    _chunks!.Add(new SyncChunk(_offset, chunk.Size, chunk.Hash));
                    _offset += chunk.Size;
                }
                if (_chunks!.Count > PortalWire.MaxChunksPerFile || _offset > _head.Size)
                    throw Bad($"the entry for '{Short(_head.Path)}' has more chunks than its size");
                if (more) continue;
                if (!_head.Deleted && _offset != _head.Size)
                    throw Bad($"the entry for '{Short(_head.Path)}' has a size that does not match its chunks");
                complete.Add(_head with { Chunks = _chunks });
                (_head, _chunks, _offset) = (null, null, 0);
            }
        return complete;
    }

    private static string Short(string path) => path.Length > 80 ? path[..80] : path;

    private static DreamException Bad(string why) =>
        new(Node.TesseractErrors.ProtocolViolation, DreamErrorKind.InvalidData, $"Portal frame refused: {why}.");
}
