using Lockstep.Tests.Support;

namespace Lockstep.Tests.Update;

/// <summary>
/// A Foreman DLM server that misbehaves (a proxy's HTML page, no answer at all): one clear line
/// naming the server, status 4, the state kept, nothing under the lock run, and the next run
/// finishes once the server is back.
/// </summary>
public sealed class UpdateOverBrokenForemanTests : IDisposable
{
    private const string HtmlPage = "<html><head><title>502 Bad Gateway</title></head>\n<body><h1>Bad Gateway</h1></body></html>";
    private readonly ForemanUpdateHost _host = new();

    public void Dispose() => _host.Dispose();

    [Theory]
    [InlineData(502)]
    [InlineData(200)]
    public void A_proxy_answering_html_stops_with_one_line_and_status_4_before_pre_update(int status)
    {
        _host.Server.AnswerEverythingWith(status, "text/html", HtmlPage);

        var result = _host.Update();

        result.ExitCode.ShouldBe(4, result.ToString());
        string error = OneErrorLine(result);
        error.ShouldContain($"PUT {_host.Server.Url}/api/dlmlocks/fleet%2Fdb/lock");
        error.ShouldContain("text/html");
        error.ShouldContain("the state is kept (lock_get)");
        _host.Steps.ShouldBe(["needs_update"]);
        _host.State.ShouldNotBeNull().ShouldContain("\"step\": \"lock_get\"");

        _host.Server.AnswerNormally();
        var recovered = _host.Update();

        recovered.ExitCode.ShouldBe(0, recovered.ToString());
        _host.Steps.ShouldBe(["needs_update", "pre_update", "update", "needs_reboot", "post_update"]);
        _host.Holder.ShouldBeNull();
    }

    [Fact]
    public void A_server_that_never_answers_fails_the_run_after_http_timeout_naming_the_server_and_the_next_run_finishes()
    {
        // Not 1 s: the request must have gone out and reached the server before the client gives up, also on a busy machine.
        _host.SetMain("http_timeout", "3");
        _host.Server.NeverAnswer();

        // The CLI helper's own limit (30 s) bounds the run: a hang fails the test.
        var result = _host.Update();

        result.ExitCode.ShouldBe(4, result.ToString());
        string error = OneErrorLine(result);
        error.ShouldContain($"Foreman DLM at {_host.Server.Url} did not answer within 3 s (PUT {_host.Server.Url}/api/dlmlocks/fleet%2Fdb/lock); check the server, or raise http_timeout");
        // The PUT went out unanswered: the server may have granted it, so the line says how to give it back.
        error.ShouldContain("the slot may now be held by this host: the state is kept (lock_get) and the next run takes it up and gives it back when the update is done, or give it back with 'lockstep lock release --config ");
        _host.Calls.ShouldBe(["PUT"]);
        _host.Steps.ShouldBe(["needs_update"]);
        _host.State.ShouldNotBeNull().ShouldContain("\"step\": \"lock_get\"");

        _host.Server.AnswerNormally();
        _host.SetMain("http_timeout", "10");
        var recovered = _host.Update();

        recovered.ExitCode.ShouldBe(0, recovered.ToString());
        _host.Steps.ShouldBe(["needs_update", "pre_update", "update", "needs_reboot", "post_update"]);
        _host.Holder.ShouldBeNull();
        _host.State.ShouldBeNull();
    }

    [Fact]
    public void A_server_that_stops_answering_before_the_release_keeps_the_lock_and_the_state_at_lock_release()
    {
        // Not 1 s: the PUT before must not time out on a busy machine.
        _host.SetMain("http_timeout", "2");
        using var run = _host.Start(new() { ["GATE"] = "1" });
        foreach (string step in UpdateHost.Steps)
        {
            _host.ReachedGate(run, step).ShouldBeTrue(step);
            if (step == "post_update")
            {
                _host.Server.NeverAnswer();
            }

            _host.OpenGate(step);
        }

        var result = run.Finish();

        result.ExitCode.ShouldBe(4, result.ToString());
        OneErrorLine(result).ShouldContain($"did not answer within 2 s (DELETE {_host.Server.Url}/api/dlmlocks/fleet%2Fdb/lock)");
        _host.State.ShouldNotBeNull().ShouldContain("\"step\": \"lock_release\"");
        _host.Holder.ShouldBe(ForemanUpdateHost.Host);

        _host.Server.AnswerNormally();
        _host.SetMain("http_timeout", "10");
        var released = _host.Update();

        released.ExitCode.ShouldBe(0, released.ToString());
        _host.Steps.Count(s => s == "post_update").ShouldBe(1);
        _host.Holder.ShouldBeNull();
        _host.Calls.ShouldBe(["PUT", "DELETE", "DELETE"]);
    }

    [Fact]
    public void A_stop_signal_while_the_server_does_not_answer_ends_the_call_at_once_and_keeps_the_state()
    {
        using var host = new ForemanUpdateHost();
        host.SetMain("http_timeout", "60");
        host.Server.NeverAnswer();
        using var run = host.Start();
        Eventually.WaitFor(() => host.Calls.Length > 0, "lockstep to call the server");

        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", run.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        // Finish allows 30 s, half of http_timeout: only the signal can end the run in time.
        var result = run.Finish();
        result.ExitCode.ShouldBe(128 + 15, result.ToString());
        result.Stderr.ShouldContain("stopped by signal 15 during lock_get; the state is kept");
        host.State.ShouldNotBeNull().ShouldContain("\"step\": \"lock_get\"");
        host.Steps.ShouldBe(["needs_update"]);
    }

    /// <summary>The one ERROR line of a failed run; no exception or stack trace anywhere.</summary>
    private static string OneErrorLine(CliResult result)
    {
        result.Stderr.ShouldNotContain("Exception", Case.Sensitive);
        result.Stderr.ShouldNotContain("   at ");
        result.Stdout.ShouldBeEmpty();
        return result.Stderr.Split('\n').Where(l => l.Contains(" ERROR: ", StringComparison.Ordinal)).ShouldHaveSingleItem();
    }
}
