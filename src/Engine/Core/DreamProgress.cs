namespace Dreamwell;

/// <summary>Progress of long engine work; cmdlets turn it into Write-Progress records.</summary>
public readonly record struct DreamProgress(string Activity, string Status, long Completed, long Total)
{
    public int Percent => Total <= 0 ? -1 : (int)Math.Clamp(Completed * 100 / Total, 0, 100);
}
