using System.Text.RegularExpressions;
using Lockstep.Tests.Support;
using Lockstep.Tests.Update;

namespace Lockstep.Tests.Pictures;

/// <summary>The HTML pictures opened in Debian's headless chromium: no console errors, one row a host (or run), the failure shown.</summary>
public sealed partial class ReportPictureTests : IDisposable
{
    private readonly TempDir _shared = new();
    private readonly List<UpdateHost> _hosts = [];

    [Fact]
    public void The_fleet_report_renders_one_timeline_row_a_host_with_the_failure_marked_and_no_console_errors()
    {
        var web1 = Host("web-1");
        var web2 = Host("web-2");
        var web3 = Host("web-3", "lock_wait_timeout = 0.5");
        web1.Update(new() { ["REBOOT"] = "1" }).ExitCode.ShouldBe(5);
        web1.Reboot();
        web1.Update().ExitCode.ShouldBe(0);
        web2.Update(new() { ["FAIL_IN"] = "post_update" }).ExitCode.ShouldBe(1);
        web3.Update().ExitCode.ShouldBe(4);
        string file = _shared["report.html"];

        var written = LockstepCli.Run("fleet", "report", "--html", file, "--config", web1.Config);

        written.ExitCode.ShouldBe(0, written.ToString());
        string html = File.ReadAllText(file);
        html.ShouldNotContain("<script", Case.Insensitive);
        Regex.IsMatch(html, "(src|href)=", RegexOptions.IgnoreCase).ShouldBeFalse();
        var page = HeadlessChromium.Open(file);
        page.ConsoleMessages.ShouldBeEmpty();
        RowLabels(page.Dom).ShouldBe(["web-1", "web-2", "web-3"]);
        page.Dom.ShouldContain($"<g class=\"mark failure\"><title>post_update failed ({web2.Dir["post_update.d/10-post-update"]} exited 3)");
        page.Dom.ShouldContain($"<td>post_update: {web2.Dir["post_update.d/10-post-update"]} exited 3</td>");
        page.Dom.ShouldContain("<tr class=\"flagged\"><td>web-2</td>");
        Regex.Count(page.Dom, "class=\"under slot\"").ShouldBeGreaterThan(1);
    }

    [Fact]
    public void History_html_renders_one_row_a_refresh_run_with_the_failed_phase_marked()
    {
        string baseDir = Path.Combine(LockstepCli.RepositoryRoot(), "examples", "refresh");
        string[] refresh = ["refresh", "--base-dir", baseDir, "--lockfile", _shared["refresh.lock"], "--state-dir", _shared["state"]];
        LockstepCli.Run(refresh).ExitCode.ShouldBe(0);
        LockstepCli.RunWith(new CliOptions { Environment = { ["WORKERS"] = "none" } }, refresh).ExitCode.ShouldBe(1);
        string file = _shared["history.html"];

        var written = LockstepCli.Run("history", "--html", file, "--state-dir", _shared["state"]);

        written.ExitCode.ShouldBe(0, written.ToString());
        var page = HeadlessChromium.Open(file);
        page.ConsoleMessages.ShouldBeEmpty();
        RowLabels(page.Dom).Count.ShouldBe(2);
        page.Dom.ShouldContain("configure failed: ");
        Regex.Count(page.Dom, "class=\"bar phase-ok\"").ShouldBeGreaterThanOrEqualTo(5);
        Regex.Count(page.Dom, "class=\"under script\"").ShouldBeGreaterThan(4);
    }

    [Fact]
    public void The_console_check_sees_a_page_that_throws()
    {
        string file = _shared.File("bad.html", "<!DOCTYPE html><html><body><script>missingFunction();</script></body></html>");

        HeadlessChromium.Open(file).ConsoleMessages.ShouldHaveSingleItem().ShouldContain("missingFunction is not defined");
    }

    [Fact]
    public void A_report_file_that_cannot_be_written_is_one_line_and_exit_2()
    {
        var web1 = Host("web-1");

        var result = LockstepCli.Run("fleet", "report", "--html", _shared["missing/dir/report.html"], "--config", web1.Config);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.Trim().Split('\n').Length.ShouldBe(1);
        result.Stderr.ShouldContain("cannot be written");
        LockstepCli.Run("fleet", "report", "--html", _shared["r.html"], "--since", "soon", "--config", web1.Config).ExitCode.ShouldBe(2);
    }

    public void Dispose()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }

        _shared.Dispose();
    }

    private static List<string> RowLabels(string dom) => [.. RowLabel().Matches(dom).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("<g class=\"row\" data-label=\"([^\"]*)\"")]
    private static partial Regex RowLabel();

    private UpdateHost Host(string id, string extra = "")
    {
        var host = new UpdateHost(
            extraMain: $"holder_id = {id}\n{extra}",
            backend: new HostBackend("backend = local", $"[local]\npath = {_shared["var/local.lock"]}", HostBackend.StatusProbe),
            lockName: "web");
        _hosts.Add(host);
        return host;
    }
}
