using Lockstep.Tests.Support;

namespace Lockstep.Tests.Refresh;

/// <summary>refresh --metrics-file through the command line: promtool accepts what is written, and its values are the run's.</summary>
public sealed class RefreshMetricsTests : IDisposable
{
    private readonly RefreshHost _host = new();

    public void Dispose() => _host.Dispose();

    private string Metrics => _host.Temp["metrics/refresh.prom"];

    private double? Value(string sample) => Promtool.Value(Metrics, sample);

    [Fact]
    public void A_good_then_a_failing_refresh_are_described_with_each_phase()
    {
        Directory.CreateDirectory(_host.Temp["metrics"]);
        _host.Script("configure", "10-write", "sleep 0.3");
        _host.Script("migration", "10-schema", "exit 0");

        var good = _host.Run("--metrics-file", Metrics);

        good.ExitCode.ShouldBe(0, good.ToString());
        Promtool.Accepts(Metrics);
        (File.GetUnixFileMode(Metrics) & (UnixFileMode)0x1FF).ShouldBe((UnixFileMode)Convert.ToInt32("644", 8));
        Value("lockstep_refresh_exit_status").ShouldBe(0);
        Value("lockstep_refresh_outcome{outcome=\"succeeded\"}").ShouldBe(1);
        Value("lockstep_refresh_outcome{outcome=\"failed\"}").ShouldBe(0);
        Value("lockstep_refresh_phase_duration_seconds{phase=\"configure\"}")!.Value.ShouldBeInRange(0.3, 20);
        Value("lockstep_refresh_phase_outcome{phase=\"configure\",outcome=\"succeeded\"}").ShouldBe(1);
        Value("lockstep_refresh_phase_outcome{phase=\"pre-configure\",outcome=\"skipped\"}").ShouldBe(1);
        Value("lockstep_refresh_duration_seconds")!.Value.ShouldBeGreaterThanOrEqualTo(Value("lockstep_refresh_phase_duration_seconds{phase=\"configure\"}")!.Value);
        double succeededAt = Value("lockstep_refresh_last_success_timestamp_seconds")!.Value;
        succeededAt.ShouldBeGreaterThanOrEqualTo(Value("lockstep_refresh_last_run_timestamp_seconds")!.Value);

        _host.Script("configure", "20-broken", "exit 4");
        _host.Script("error", "10-report", "exit 0");
        var bad = _host.Run("--metrics-file", Metrics);

        bad.ExitCode.ShouldBe(1, bad.ToString());
        Promtool.Accepts(Metrics);
        Value("lockstep_refresh_exit_status").ShouldBe(1);
        Value("lockstep_refresh_outcome{outcome=\"failed\"}").ShouldBe(1);
        Value("lockstep_refresh_phase_outcome{phase=\"configure\",outcome=\"failed\"}").ShouldBe(1);
        Value("lockstep_refresh_phase_outcome{phase=\"error\",outcome=\"succeeded\"}").ShouldBe(1);
        Value("lockstep_refresh_phase_outcome{phase=\"migration\",outcome=\"succeeded\"}").ShouldBeNull(); // not run after the failure
        Value("lockstep_refresh_last_success_timestamp_seconds").ShouldBe(succeededAt); // carried from the good run
        Value("lockstep_refresh_last_run_timestamp_seconds")!.Value.ShouldBeGreaterThan(succeededAt);
    }

    [Fact]
    public void A_metrics_file_in_a_missing_directory_is_a_warning_and_the_refresh_succeeds()
    {
        _host.Script("configure", "10-write", "exit 0");

        var result = _host.Run("--metrics-file", Metrics);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stderr.ShouldContain($"WARN: metrics file {Metrics} (--metrics-file) cannot be written (");
        result.Stderr.ShouldContain($"{Path.GetDirectoryName(Metrics)} does not exist); the run goes on without metrics");
    }
}
