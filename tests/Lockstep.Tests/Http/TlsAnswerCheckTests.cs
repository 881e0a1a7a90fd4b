using System.Net.Sockets;
using System.Text;
using Lockstep.Http;

namespace Lockstep.Tests.Http;

/// <summary>What the first bytes a server sends to a TLS client say about whether it speaks TLS.</summary>
public sealed class TlsAnswerCheckTests
{
    [Theory]
    [InlineData(0x16, true)]
    [InlineData(0x15, true)]
    [InlineData(0x14, true)]
    [InlineData(0x17, true)]
    [InlineData(0x18, true)]
    [InlineData(0x13, false)]
    [InlineData(0x19, false)]
    [InlineData((byte)'H', false)]
    [InlineData((byte)'<', false)]
    [InlineData(0x00, false)]
    [InlineData(0x80, false)]
    public void Only_a_tls_record_type_opens_a_tls_answer(byte first, bool tls) => TlsAnswerCheck.OpensTlsRecord(first).ShouldBe(tls);

    [Theory]
    [InlineData("HTTP/1.1 400 Bad Request\r\n\r\n", false)]
    [InlineData("HTTP/1.0 400 Bad request version\r\n", false)]
    [InlineData("", true)]
    [InlineData("SSH-2.0-OpenSSH_9.6\r\n", false)]
    public async Task A_plain_answer_or_a_close_fails_the_first_read_and_a_tls_record_passes(string answer, bool closed)
    {
        using var check = new TlsAnswerCheck(new MemoryStream(Encoding.ASCII.GetBytes(answer)));

        var failure = await Should.ThrowAsync<NotTlsException>(async () => await check.ReadAtLeastAsync(new byte[16], 1));

        failure.Closed.ShouldBe(closed);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    public async Task A_reset_before_the_server_sent_anything_is_a_server_that_does_not_speak_tls(int wanted)
    {
        using var check = new TlsAnswerCheck(new ResetStream());

        // One read as the TLS layer makes it, of no bytes (waiting for data) or some.
#pragma warning disable CA2022
        var failure = await Should.ThrowAsync<NotTlsException>(async () => await check.ReadAsync(new byte[wanted]));
#pragma warning restore CA2022

        failure.Closed.ShouldBeTrue();
    }

    [Fact]
    public async Task A_tls_record_and_everything_after_it_pass_through_unchanged()
    {
        byte[] record = [0x16, 0x03, 0x03, 0x00, 0x02, (byte)'H', (byte)'T'];
        using var check = new TlsAnswerCheck(new MemoryStream(record));
        var buffer = new byte[3];

        int first = await check.ReadAtLeastAsync(buffer, 1);
        var rest = new MemoryStream();
        await check.CopyToAsync(rest);

        buffer[..first].Concat(rest.ToArray()).ShouldBe(record);
    }

    /// <summary>A connection the server reset: every read fails as a socket's would.</summary>
    private sealed class ResetStream : MemoryStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new IOException("Unable to read data from the transport connection", new SocketException((int)SocketError.ConnectionReset));
    }
}
