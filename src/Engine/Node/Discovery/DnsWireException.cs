namespace Dreamwell.Node.Discovery;

/// <summary>A packet that is not a well-formed, bounded mDNS message; it is counted and dropped.</summary>
internal sealed class DnsWireException(string message) : Exception(message);
