using System.Net;
using System.Text;
using Lockstep.Locks;
using Lockstep.Locks.Etcd;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Locks.Etcd;

public sealed class EtcdContentionTests
{
    [Fact]
    public async Task A_semaphore_that_changes_under_every_write_gives_up_after_the_bounded_attempts_as_unreachable()
    {
        using var etcd = new AlwaysChangingEtcd();
        var context = LockContexts.From("[etcd]\nendpoints = http://10.9.9.9:2379\n");
        await using var backend = new EtcdLockBackend(EtcdOptions.From(context.Config), context.Context, etcd, jitter: () => 0);
        var error = await Should.ThrowAsync<LockException>(() => backend.AcquireAsync("default", "web-1", default));
        error.Kind.ShouldBe(LockErrorKind.Unreachable);
        error.Message.ShouldContain($"changed under each of {EtcdLockBackend.MaxAttempts} attempts");
        etcd.Transactions.Count.ShouldBe(EtcdLockBackend.MaxAttempts);

        // The first write creates the key only if it is still absent; later ones compare the revision just
        // seen: answered by the failed transaction (101), then, after a second loss, read afresh (103).
        etcd.Transactions[0].ShouldContain("\"target\":\"VERSION\"");
        etcd.Transactions[0].ShouldContain("\"version\":0");
        etcd.Transactions[1].ShouldContain("\"target\":\"MOD\"");
        etcd.Transactions[1].ShouldContain("\"mod_revision\":101");
        etcd.Transactions[2].ShouldContain("\"mod_revision\":103");
    }

    /// <summary>An etcd whose key another writer changes before every request but the first read: each transaction fails, answering the new value.</summary>
    private sealed class AlwaysChangingEtcd : HttpMessageHandler
    {
        private int _revision = 100;
        private bool _read;

        public List<string> Transactions { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string body = await request.Content!.ReadAsStringAsync(cancellationToken);
            string value = Convert.ToBase64String(Encoding.UTF8.GetBytes($$"""{"total_slots":2,"holders":["other-{{_revision}}"]}"""));
            string kvs = $$"""[{"key":"a2V5","mod_revision":"{{++_revision}}","version":"3","value":"{{value}}"}]""";
            string answer;
            if (request.RequestUri!.AbsolutePath.EndsWith("/txn", StringComparison.Ordinal))
            {
                Transactions.Add(body);
                answer = $$$"""{"header":{},"responses":[{"response_range":{"kvs":{{{kvs}}}}}]}""";
            }
            else if (_read)
            {
                answer = $$"""{"header":{},"kvs":{{kvs}}}""";
            }
            else
            {
                _read = true;
                _revision--; // the first read finds no key
                answer = """{"header":{}}""";
            }

            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(answer) };
        }
    }
}
