using Dreamwell.Node;

namespace Dreamwell.Cmdlets;

/// <summary>Tells the home's running node (if any) that portals or signals changed on disk.</summary>
internal static class RunningNode
{
    /// <summary>True when a node runs and reloaded; false when none runs (the next Start-Tesseract reads the files).</summary>
    public static bool TryReload(DreamHome home, string method, CancellationToken cancellationToken)
    {
        if (TesseractNode.ReadInfo(home) is null) return false;
        try
        {
            TesseractClient.ForHome(home).InvokeAsync<List<string>>(method, null, TimeSpan.FromSeconds(30), cancellationToken).GetAwaiter().GetResult();
            return true;
        }
        catch (DreamException e) when (e.ErrorId == TesseractErrors.NotRunning)
        {
            return false;
        }
    }
}
