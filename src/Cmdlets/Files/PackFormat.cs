using Dreamwell.Formats;

namespace Dreamwell.Cmdlets;

/// <summary>The formats Compress-DreamFile can write (deltas have their own cmdlet).</summary>
public enum PackFormat
{
    Dreamfile = DreamFormat.Dreamfile,
    QPort = DreamFormat.QPort,
    Fractal = DreamFormat.Fractal,
}
