using System.Runtime.InteropServices;
using System.Text;

namespace Dreamwell.Identity;

/// <summary>
/// A hash of machine properties readable without root. It tells whether an identity file moved to
/// another machine; it is not a secret and not an authenticator.
/// </summary>
public static class DeviceFingerprint
{
    public static byte[] Current()
    {
        var text = new StringBuilder()
            .Append("dreamwell-device-v1\n")
            .Append(ReadMachineId()).Append('\n')
            .Append(Environment.MachineName).Append('\n')
            .Append(RuntimeInformation.OSDescription).Append('\n')
            .Append(RuntimeInformation.OSArchitecture).Append('\n')
            .Append(Environment.ProcessorCount).Append('\n')
            .ToString();
        return Blake3Hash.Compute(Encoding.UTF8.GetBytes(text));
    }

    private static string ReadMachineId()
    {
        foreach (var candidate in new[] { "/etc/machine-id", "/var/lib/dbus/machine-id" })
        {
            try
            {
                if (File.Exists(candidate)) return File.ReadAllText(candidate).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return "";
    }
}
