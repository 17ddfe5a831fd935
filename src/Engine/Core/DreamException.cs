namespace Dreamwell;

/// <summary>What kind of failure a <see cref="DreamException"/> is; cmdlets map it to an ErrorCategory.</summary>
public enum DreamErrorKind
{
    InvalidArgument,
    InvalidData,
    NotFound,
    AlreadyExists,
    PermissionDenied,
    SecurityError,
    LimitExceeded,
    InvalidOperation,
    ResourceUnavailable,
}

/// <summary>
/// Every failure the engine reports on purpose. <see cref="ErrorId"/> is stable and becomes the
/// cmdlet's FullyQualifiedErrorId, so scripts can match on it.
/// </summary>
public class DreamException : Exception
{
    public DreamException(string errorId, DreamErrorKind kind, string message, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Kind = kind;
    }

    public string ErrorId { get; }
    public DreamErrorKind Kind { get; }
}

/// <summary>A container or file that fails parsing or verification.</summary>
public sealed class DreamFormatException : DreamException
{
    public DreamFormatException(string errorId, string message, long? offset = null, Exception? inner = null)
        : base(errorId, DreamErrorKind.InvalidData, message, inner)
    {
        Offset = offset;
    }

    /// <summary>Byte offset in the container where the problem was found, when known.</summary>
    public long? Offset { get; }
}
