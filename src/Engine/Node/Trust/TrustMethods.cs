namespace Dreamwell.Node;

/// <summary>LQTP methods the trust service answers (docs/protocol.md, "Trust and ShardBlade").</summary>
public static class TrustMethods
{
    /// <summary>params {peer: QuantumId|label, reason?: string}; result: the closed links as TesseractPeer objects.</summary>
    public const string Disconnect = "disconnect";
}
