using Lockstep.Files;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Files;

/// <summary>
/// A listing or run remembers the #! interpreters it walked and found trusted, so each is walked once
/// however many scripts name it; a refusal or a missing interpreter is never remembered.
/// </summary>
public sealed class TrustedInterpretersTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Shell(string relative, int owner = 0)
    {
        string path = _temp.Shell(relative);
        if (owner != 0)
        {
            using var chown = System.Diagnostics.Process.Start("chown", [owner.ToString(System.Globalization.CultureInfo.InvariantCulture), Path.GetDirectoryName(path)!])!;
            chown.WaitForExit();
            chown.ExitCode.ShouldBe(0);
        }

        return path;
    }

    [Fact]
    public void A_trusted_interpreter_is_remembered_once_walked()
    {
        string sh = Shell("root/sh");
        string script = _temp.Script("parts/10-a", "true", $"#!{sh}");
        var known = new TrustedInterpreters();

        known.Contains(sh).ShouldBeFalse();
        Trust.OpenExecutable(script, "script", known).Dispose();

        known.Contains(sh).ShouldBeTrue();
    }

    [Fact]
    public void A_refused_interpreter_is_refused_again_for_every_script_that_names_it()
    {
        string sh = Shell("nobodys/sh", owner: 65534);
        string first = _temp.Script("parts/10-a", "true", $"#!{sh}");
        string second = _temp.Script("parts/20-b", "true", $"#!{sh}");
        var known = new TrustedInterpreters();

        Should.Throw<PathRefusedException>(() => Trust.OpenExecutable(first, "script", known).Dispose());
        Should.Throw<PathRefusedException>(() => Trust.OpenExecutable(second, "script", known).Dispose());

        known.Contains(sh).ShouldBeFalse();
    }

    [Fact]
    public void A_missing_interpreter_is_left_to_exec_and_not_remembered()
    {
        string missing = _temp["nowhere/sh"];
        string script = _temp.Script("parts/10-a", "true", $"#!{missing}");
        var known = new TrustedInterpreters();

        Trust.OpenExecutable(script, "script", known).Dispose();

        known.Contains(missing).ShouldBeFalse();
    }

    [Fact]
    public void An_interpreter_whose_own_interpreter_is_refused_is_not_remembered()
    {
        string sh = Shell("nobodys/sh", owner: 65534);
        string wrapper = _temp.Script("root/wrapper", "true", $"#!{sh}");
        string script = _temp.Script("parts/10-a", "true", $"#!{wrapper}");
        var known = new TrustedInterpreters();

        Should.Throw<PathRefusedException>(() => Trust.OpenExecutable(script, "script", known).Dispose());

        known.Contains(wrapper).ShouldBeFalse();
        known.Contains(sh).ShouldBeFalse();
    }
}
