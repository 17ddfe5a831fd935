using System.Management.Automation;

namespace Dreamwell.Cmdlets;

/// <summary>Turns engine failures into ErrorRecords whose FullyQualifiedErrorId is the stable DreamException.ErrorId.</summary>
internal static class DreamErrorRecords
{
    public static ErrorRecord From(Exception exception, object? target = null) => exception switch
    {
        DreamException dream => new ErrorRecord(dream, dream.ErrorId, Category(dream.Kind), target),
        OperationCanceledException => new ErrorRecord(exception, "OperationStopped", ErrorCategory.OperationStopped, target),
        UnauthorizedAccessException => new ErrorRecord(exception, "AccessDenied", ErrorCategory.PermissionDenied, target),
        FileNotFoundException or DirectoryNotFoundException => new ErrorRecord(exception, "PathNotFound", ErrorCategory.ObjectNotFound, target),
        IOException => new ErrorRecord(exception, "IOError", ErrorCategory.WriteError, target),
        _ => new ErrorRecord(exception, "UnexpectedError", ErrorCategory.NotSpecified, target),
    };

    public static ErrorCategory Category(DreamErrorKind kind) => kind switch
    {
        DreamErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        DreamErrorKind.InvalidData => ErrorCategory.InvalidData,
        DreamErrorKind.NotFound => ErrorCategory.ObjectNotFound,
        DreamErrorKind.AlreadyExists => ErrorCategory.ResourceExists,
        DreamErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        DreamErrorKind.SecurityError => ErrorCategory.SecurityError,
        DreamErrorKind.LimitExceeded => ErrorCategory.LimitsExceeded,
        DreamErrorKind.InvalidOperation => ErrorCategory.InvalidOperation,
        DreamErrorKind.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
        _ => ErrorCategory.NotSpecified,
    };
}
