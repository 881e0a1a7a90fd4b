using System.Text.Json;
using Lockstep.Tests.Support;
using Lockstep.Tests.Support.ForemanDlm;

namespace Lockstep.Tests.Locks;

/// <summary><c>lockstep lock status|acquire|release</c> through the real command line, against the test Foreman DLM server.</summary>
public sealed class LockCommandTests : IDisposable
{
    private readonly ForemanDlmServer _server = ForemanDlmServer.Start();

    public void Dispose() => _server.Dispose();

    [Fact]
    public void Status_acquire_status_release_walks_the_lock_through_its_states()
    {
        string config = _server.WriteConfig("web1.example.com");

        var free = LockstepCli.Run("lock", "status", "--config", config);
        free.ExitCode.ShouldBe(0, free.ToString());
        free.Stdout.ShouldBe($"lock: updates\nbackend: foreman (Foreman DLM at {_server.Url})\nholders: none\nslots: 1\n");

        var acquired = LockstepCli.Run("lock", "acquire", "--config", config);
        acquired.ExitCode.ShouldBe(0, acquired.ToString());
        acquired.Stdout.ShouldBe($"acquired lock updates on Foreman DLM at {_server.Url} for web1.example.com\n");
        _server.HolderOf("updates").ShouldBe("web1.example.com");

        var held = LockstepCli.Run("lock", "status", "--cfg", config);
        held.Stdout.ShouldBe($"lock: updates\nbackend: foreman (Foreman DLM at {_server.Url})\nholders: web1.example.com (this host)\nslots: 1\nenabled: yes\n");

        var released = LockstepCli.Run("lock", "release", "--config", config);
        released.ExitCode.ShouldBe(0, released.ToString());
        released.Stdout.ShouldStartWith("released lock updates");
        _server.HolderOf("updates").ShouldBeNull();
        released.Stderr.ShouldBeEmpty();
    }

    [Fact]
    public void Status_as_json_marks_this_host_among_the_holders()
    {
        _server.SetHolder("updates", "web2");
        string web2 = _server.WriteConfig("web2");
        string web1 = _server.WriteConfig("web1");

        using var theirs = JsonDocument.Parse(LockstepCli.Run("lock", "status", "--json", "--config", web1).Stdout);
        using var mine = JsonDocument.Parse(LockstepCli.Run("lock", "status", "--json", "--config", web2).Stdout);

        theirs.RootElement.GetProperty("lock").GetString().ShouldBe("updates");
        theirs.RootElement.GetProperty("backend").GetString().ShouldBe("foreman");
        theirs.RootElement.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        theirs.RootElement.GetProperty("slots").GetInt32().ShouldBe(1);
        theirs.RootElement.GetProperty("holders").GetRawText().ShouldBe("""[{"id":"web2","self":false}]""");
        mine.RootElement.GetProperty("holders").GetRawText().ShouldBe("""[{"id":"web2","self":true}]""");
    }

    [Fact]
    public void Acquire_tries_once_and_fails_naming_the_holder()
    {
        _server.SetHolder("updates", "web2");

        var result = LockstepCli.Run("lock", "acquire", "--config", _server.WriteConfig("web1"));

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stdout.ShouldBeEmpty();
        OneErrorLine(result).ShouldEndWith($"lock acquire ERROR: lock updates is held by web2 on Foreman DLM at {_server.Url}");
        _server.Requests.Count(r => r.Method == "PUT").ShouldBe(1);
    }

    [Fact]
    public void Releasing_another_hosts_lock_leaves_it_and_says_so()
    {
        _server.SetHolder("updates", "web2");

        var result = LockstepCli.Run("lock", "release", "--config", _server.WriteConfig("web1"));

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBe($"lock updates on Foreman DLM at {_server.Url} is held by web2, not by this host: nothing released\n");
        _server.HolderOf("updates").ShouldBe("web2");
    }

    [Fact]
    public void A_refused_lock_exits_4_with_the_servers_reason()
    {
        _server.Disable("updates");

        var result = LockstepCli.Run("lock", "acquire", "--config", _server.WriteConfig("web1"));

        result.ExitCode.ShouldBe(4, result.ToString());
        OneErrorLine(result).ShouldContain("lock updates is disabled on");
    }

    [Fact]
    public void A_server_that_never_answers_exits_3_after_http_timeout()
    {
        string config = _server.WriteConfig("web1", extraMain: "http_timeout = 1");
        _server.NeverAnswer();

        var result = LockstepCli.Run("lock", "status", "--config", config);

        result.ExitCode.ShouldBe(3, result.ToString());
        OneErrorLine(result).ShouldContain($"Foreman DLM at {_server.Url} did not answer within 1 s");
    }

    [Fact]
    public void An_acquire_left_unanswered_says_the_slot_may_be_held_and_a_status_or_release_does_not()
    {
        string config = _server.WriteConfig("web1", extraMain: "http_timeout = 1");
        _server.NeverAnswer();

        var acquire = LockstepCli.Run("lock", "acquire", "--config", config);
        var release = LockstepCli.Run("lock", "release", "--config", config);

        acquire.ExitCode.ShouldBe(3, acquire.ToString());
        OneErrorLine(acquire).ShouldContain($"Foreman DLM at {_server.Url} did not answer within 1 s (PUT {_server.Url}/api/dlmlocks/updates/lock)");
        OneErrorLine(acquire).ShouldEndWith(
            $"the slot may now be held by this host: 'lockstep lock acquire' again makes sure of it, or give it back with 'lockstep lock release --config {config}'");
        release.ExitCode.ShouldBe(3, release.ToString());
        release.Stderr.ShouldNotContain("may now be held");
    }

    [Fact]
    public async Task A_foreman_url_naming_a_plain_http_server_says_the_server_does_not_speak_tls()
    {
        var (app, address) = await LocalWebServer.StartAsync(context =>
        {
            context.Response.StatusCode = 200;
            return Task.CompletedTask;
        });
        await using var _ = app;
        string https = "https" + address["http".Length..];
        string config = _server.WriteConfig("web1");
        File.WriteAllText(config, File.ReadAllText(config).Replace($"foreman_url = {_server.Url}", $"foreman_url = {https}/foreman", StringComparison.Ordinal));

        foreach (string action in new[] { "status", "acquire", "release" })
        {
            var result = LockstepCli.Run("lock", action, "--config", config);

            result.ExitCode.ShouldBe(3, result.ToString());
            OneErrorLine(result).ShouldContain($"{https}/foreman/api/dlmlocks/updates/lock: the server does not speak TLS (is it http://?); check foreman_url");
        }
    }

    [Fact]
    public void A_proxy_answering_html_exits_3_with_one_clear_line()
    {
        _server.AnswerEverythingWith(503, "text/html", "<html><body><h1>503 Service Unavailable</h1>\n</body></html>");

        var result = LockstepCli.Run("lock", "release", "--config", _server.WriteConfig("web1"));

        result.ExitCode.ShouldBe(3, result.ToString());
        OneErrorLine(result).ShouldContain($"DELETE {_server.Url}/api/dlmlocks/updates/lock: the server failed with 503, text/html, not JSON");
    }

    [Fact]
    public void A_missing_subcommand_is_a_usage_error()
    {
        LockstepCli.Run("lock").ExitCode.ShouldBe(2);
        LockstepCli.Run("lock", "steal").ExitCode.ShouldBe(2);
    }

    internal static string OneErrorLine(CliResult result)
    {
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1, result.ToString());
        return lines[0];
    }
}
