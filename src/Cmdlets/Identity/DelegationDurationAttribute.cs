using System.Management.Automation;
using Dreamwell.Identity;

namespace Dreamwell.Cmdlets;

/// <summary>Lets -Expires take "24h", "7d", "1d12h" or a TimeSpan, bounded as <see cref="DelegationDuration"/> says.</summary>
public sealed class DelegationDurationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        try
        {
            return (inputData is PSObject wrapped ? wrapped.BaseObject : inputData) switch
            {
                TimeSpan span => DelegationDuration.Check(span),
                string text => DelegationDuration.Parse(text),
                var other => throw new DreamException(DelegationErrors.BadDuration, DreamErrorKind.InvalidArgument,
                    $"-Expires takes a duration such as 24h, 7d or a TimeSpan, not a {other?.GetType().Name ?? "null"}."),
            };
        }
        catch (DreamException e)
        {
            throw new ArgumentTransformationMetadataException(e.Message, e);
        }
    }
}
