namespace Dreamwell.Chain;

/// <summary>A cross-process lock on the chain: an exclusively opened lock file, retried briefly.</summary>
internal sealed class ChainLock : IDisposable
{
    private readonly FileStream _stream;

    private ChainLock(FileStream stream) => _stream = stream;

    public static ChainLock Acquire(DreamHome home, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            try
            {
                return new ChainLock(new FileStream(home.ChainLockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(Random.Shared.Next(5, 25));
            }
            catch (IOException e)
            {
                throw new DreamException("ChainBusy", DreamErrorKind.ResourceUnavailable, $"Another process holds '{home.ChainLockFile}'.", e);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
