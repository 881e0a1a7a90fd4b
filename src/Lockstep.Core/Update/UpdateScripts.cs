using Lockstep.Parts;
using Lockstep.Processes;

namespace Lockstep.Update;

/// <summary>Which files of the five script directories are scripts.</summary>
public static class UpdateScripts
{
    /// <summary>
    /// foreman_dlm_updater ran every executable file, whatever its name, so names like
    /// <c>check.sh</c> must keep running; dotfiles, editor backups (<c>~</c>) and package-manager
    /// leftovers do not. RUN_PARTS_REGEX replaces this pattern, as in run-parts.
    /// </summary>
    public const string NamePattern = @"^(?!.*\.(dpkg-[a-z]+|rpmnew|rpmsave|rpmorig)$)[^.](.*[^~])?$";

    public static PartNameFilter NameFilter(ProcessEnvironment environment) =>
        environment.Get(PartNameFilter.EnvironmentVariable) is null ? PartNameFilter.Builtin(NamePattern) : PartNameFilter.FromEnvironment(environment);
}
