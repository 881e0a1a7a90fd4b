using System.Collections.Concurrent;
using System.Text.Json;
using Lockstep.Tests.Support;
using Microsoft.AspNetCore.Builder;

namespace Lockstep.Tests.Update;

/// <summary>The notifiers of examples/notify.d, run by lockstep update against a webhook on 127.0.0.1 and a sendmail that keeps the mail.</summary>
public sealed class NotifyExampleTests : IAsyncLifetime
{
    private readonly UpdateHost _host = new();
    private readonly ConcurrentQueue<string> _posts = new();
    private WebApplication? _app;

    public async Task InitializeAsync()
    {
        (_app, string address) = await LocalWebServer.StartAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            _posts.Enqueue($"{context.Request.Path}{context.Request.QueryString} {context.Request.ContentType} {await reader.ReadToEndAsync()}");
            context.Response.StatusCode = context.Request.Path == "/down" ? 503 : 200;
        });
        _host.Dir.File("webhook.url", $"{address}/hooks/T0KEN?secret=s3cr3t\n");
        foreach (string name in new[] { "10-webhook", "20-mail" })
        {
            string target = _host.Dir[$"notify.d/{name}"];
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(LockstepCli.RepositoryRoot(), "examples", "notify.d", name), target);
            File.SetUnixFileMode(target, (UnixFileMode)Convert.ToInt32("755", 8));
        }

        _host.Dir.Script("bin/sendmail", $"cat >> '{_host.Dir["mail.txt"]}'; echo \"args: $*\" >> '{_host.Dir["mail.txt"]}'");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _host.Dispose();
    }

    private Dictionary<string, string?> Environment(string? urlFile = null) => new()
    {
        ["LOCKSTEP_WEBHOOK_URL_FILE"] = urlFile ?? _host.Dir["webhook.url"],
        ["LOCKSTEP_SENDMAIL"] = _host.Dir["bin/sendmail"],
        ["LOCKSTEP_MAIL_TO"] = "ops@example.com",
        ["FAIL_IN"] = "update",
    };

    [Fact]
    public void The_webhook_gets_each_event_as_json_and_the_mail_only_the_failure()
    {
        var result = _host.Update(Environment());

        result.ExitCode.ShouldBe(1, result.ToString());
        var posts = _posts.ToArray();
        posts.Length.ShouldBe(3);
        posts.ShouldAllBe(p => p.StartsWith("/hooks/T0KEN?secret=s3cr3t application/json {", StringComparison.Ordinal));
        var events = posts.Select(p => JsonDocument.Parse(p[p.IndexOf('{', StringComparison.Ordinal)..]).RootElement).ToList();
        events.Select(e => e.GetProperty("event").GetString()).ShouldBe(["update_started", "lock_acquired", "step_failed"]);
        events[2].GetProperty("step").GetString().ShouldBe("update");
        events[2].GetProperty("lock").GetString().ShouldBe("fleet");
        events[2].GetProperty("text").GetString().ShouldBe($"test-host: update failed ({_host.Dir["update.d/10-update"]} exited 3); lock 'fleet' stays held so the rollout stops here. Fix the host and run lockstep update again: it retries update");

        string mail = File.ReadAllText(_host.Dir["mail.txt"]);
        mail.ShouldStartWith("To: ops@example.com\nSubject: lockstep on ");
        mail.ShouldContain(": step_failed in update\n\nupdate failed (");
        mail.ShouldEndWith("args: -t -oi\n");
        (result.Stdout + result.Stderr).ShouldNotContain("s3cr3t");
    }

    [Fact]
    public void A_webhook_that_refuses_is_a_warning_that_names_no_url()
    {
        string url = File.ReadAllText(_host.Dir["webhook.url"]).Replace("/hooks/T0KEN?secret=s3cr3t", "/down", StringComparison.Ordinal);
        string urlFile = _host.Dir.File("down.url", url);

        var result = _host.Update(Environment(urlFile));

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stderr.ShouldContain("10-webhook: the webhook did not accept the step_failed event");
        result.Stderr.ShouldContain($"WARN: notifier {_host.Dir["notify.d/10-webhook"]} failed on step_failed (status 1); the update goes on");
        result.Stderr.ShouldNotContain("/down");
    }
}
