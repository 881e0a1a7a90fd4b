using System.Net.Sockets;

namespace Lockstep.Http;

/// <summary>
/// The connection under an https:// request: passes everything through, but looks at the first
/// byte the server sends. A TLS server's first record is a handshake or an alert; anything else
/// (a plain-HTTP server's "HTTP/1.1 400", say) means the server does not speak TLS, which the TLS
/// layer would only report as a corrupted frame. So does a close (or reset) before any byte: a TLS
/// server answers a client hello, if only with an alert, while a plain server that cannot parse it
/// (etcd's client port) just hangs up. Either way the read fails with <see cref="NotTlsException"/>.
/// </summary>
internal sealed class TlsAnswerCheck(Stream inner) : Stream
{
    // TLS record content types a server may open with: change_cipher_spec (20) to heartbeat (24).
    private const byte FirstRecordType = 20;
    private const byte LastRecordType = 24;

    private bool _checked;

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Whether <paramref name="first"/>, the first byte a server sent, can open a TLS record.</summary>
    public static bool OpensTlsRecord(byte first) => first is >= FirstRecordType and <= LastRecordType;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            read = inner.Read(buffer);
        }
        catch (IOException e) when (IsResetAtHandshake(e))
        {
            throw new NotTlsException(closed: true);
        }

        return Checked(buffer, read);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (IsResetAtHandshake(e))
        {
            throw new NotTlsException(closed: true);
        }

        return Checked(buffer.Span, read);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try
        {
            inner.Write(buffer);
        }
        catch (IOException e) when (IsResetAtHandshake(e))
        {
            throw new NotTlsException(closed: true);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (IsResetAtHandshake(e))
        {
            throw new NotTlsException(closed: true);
        }
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    // A plain server that hangs up with the client hello unread resets the connection instead of
    // closing it, which the client sees on its next read or write, before the server sent anything.
    // (The TLS layer may wait for data with a read of no bytes, which the reset ends as well.)
    private bool IsResetAtHandshake(IOException e) =>
        !_checked && e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted };

    private int Checked(ReadOnlySpan<byte> buffer, int read)
    {
        if (!_checked && buffer.Length > 0)
        {
            _checked = true;
            if (read == 0 || !OpensTlsRecord(buffer[0]))
            {
                throw new NotTlsException(closed: read == 0);
            }
        }

        return read;
    }
}

/// <summary>The server answered a TLS handshake with something that is not TLS, or closed the connection without a word.</summary>
internal sealed class NotTlsException(bool closed)
    : IOException(closed ? "the server closed the connection at the TLS handshake" : "the server answered the TLS handshake with something that is not TLS")
{
    /// <summary>Whether the server closed the connection before sending anything.</summary>
    public bool Closed { get; } = closed;
}
