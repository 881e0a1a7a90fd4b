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

    /// <summary>The filter of the update's scripts; a RUN_PARTS_REGEX that is rejected or refused is bad input (status 3), nothing run.</summary>
    public static PartNameFilter NameFilter(ProcessEnvironment environment)
    {
        if (environment.Get(PartNameFilter.EnvironmentVariable) is null)
        {
            return PartNameFilter.Builtin(NamePattern);
        }

        try
        {
            return PartNameFilter.FromEnvironment(environment);
        }
        catch (PartsException e)
        {
            throw new UpdateException(e.Message, UpdateExitCodes.BadInput);
        }
    }
}
