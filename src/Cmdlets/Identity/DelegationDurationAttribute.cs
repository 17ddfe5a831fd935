using System.Management.Automation;
using Dreamwell.Identity;

namespace Dreamwell.Cmdlets;

/// <summary>Lets -Expires take "24h", 7d, "1d12h" or a TimeSpan, bounded as <see cref="DelegationDuration"/> says.</summary>
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
                // PowerShell reads an unquoted 7d as the decimal literal 7 (and 30s as the short 30) before we see it.
                decimal days => DelegationDuration.Check(TimeSpan.FromDays((double)days)),
                short seconds => DelegationDuration.Check(TimeSpan.FromSeconds(seconds)),
                int or long or double => throw new DreamException(DelegationErrors.BadDuration, DreamErrorKind.InvalidArgument,
                    "-Expires needs a unit: write for example 90m, 24h or 7d."),
                var other => throw new DreamException(DelegationErrors.BadDuration, DreamErrorKind.InvalidArgument,
                    $"-Expires takes a duration such as 24h, 7d or a TimeSpan, not a {other?.GetType().Name ?? "null"}."),
            };
        }
        catch (DreamException e)
        {
            throw new ArgumentTransformationMetadataException(e.Message, e);
        }
        catch (OverflowException e)
        {
            throw new ArgumentTransformationMetadataException($"-Expires is far beyond the {DelegationCertificate.MaxLifetime.TotalDays:0}-day limit.", e);
        }
    }
}
