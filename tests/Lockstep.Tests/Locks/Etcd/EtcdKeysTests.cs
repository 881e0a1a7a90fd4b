using Lockstep.Locks.Etcd;

namespace Lockstep.Tests.Locks.Etcd;

public sealed class EtcdKeysTests
{
    [Theory]
    [InlineData("default", "com.coreos.airlock/groups/default/v1/semaphore")]
    [InlineData("workers.eu-1", "com.coreos.airlock/groups/workers.eu-1/v1/semaphore")]
    [InlineData("a b/c", "com.coreos.airlock/groups/a+b%2Fc/v1/semaphore")]
    [InlineData("x~y_z", "com.coreos.airlock/groups/x~y_z/v1/semaphore")]
    [InlineData("é!*()'", "com.coreos.airlock/groups/%C3%A9%21%2A%28%29%27/v1/semaphore")]
    [InlineData("100%&?=#", "com.coreos.airlock/groups/100%25%26%3F%3D%23/v1/semaphore")]
    public void The_semaphore_key_escapes_the_group_as_gos_url_query_escape(string group, string key) =>
        EtcdKeys.Semaphore(group).ShouldBe(key);
}
