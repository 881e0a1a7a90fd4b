using Lockstep.Files;
using Lockstep.Logging;
using Lockstep.Parts;
using Lockstep.Processes;

namespace Lockstep.Update;

/// <summary>
/// Checks, before any step runs, everything a step could trip over halfway: all five script
/// directories and their scripts (present, trusted), reboot_cmd (found, trusted) and the boot id
/// file. A host must not take the fleet lock and then find it cannot run its post_update scripts.
/// </summary>
internal static class UpdatePreflight
{
    // Standard places of reboot commands, searched after PATH (cron and systemd give a short PATH).
    private const string SystemPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>Throws <see cref="UpdateException"/> (exit 3) naming the setting at fault; returns reboot_cmd with its program resolved.</summary>
    public static IReadOnlyList<string> Check(UpdateOptions options, PartNameFilter filter, ProcessEnvironment environment, ILog log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        foreach (var step in UpdateSteps.WithScripts)
        {
            string dir = options.ScriptDirectories[step];
            try
            {
                _ = PartScanner.Scan(dir, filter, PartOrderKind.Numeric, log);
                _ = EnvironmentFiles.Find(dir, log);
            }
            catch (PartsException e)
            {
                throw new UpdateException($"{options.ConfigPath}: [main] {step.ScriptsKey()}: {e.Message}; nothing was run", UpdateExitCodes.BadInput);
            }
        }

        if (Notifier.IsConfigured(options))
        {
            try
            {
                _ = PartScanner.Scan(options.NotifyDirectory, filter, PartOrderKind.Numeric, log);
            }
            catch (PartsException e)
            {
                throw new UpdateException($"{options.ConfigPath}: [main] notify.d: {e.Message}; nothing was run", UpdateExitCodes.BadInput);
            }
        }

        _ = BootId.Read(options.BootIdFile);
        return [ResolveProgram(options, environment.Get("PATH")), .. options.RebootCommand.Skip(1)];
    }

    private static string ResolveProgram(UpdateOptions options, string? path)
    {
        string program = options.RebootCommand[0];
        string where = $"{options.ConfigPath}: [main] reboot_cmd";
        string? found = program.Contains('/', StringComparison.Ordinal)
            ? Path.GetFullPath(program, Path.GetDirectoryName(Files.PathWalk.FullPath(options.ConfigPath))!)
            : $"{path}:{SystemPath}".Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => Path.Combine(dir, program))
                .FirstOrDefault(candidate => FileStat.TryStat(candidate, out var s) == 0 && s.IsRegularFile && LibC.access(candidate, LibC.X_OK) == 0);
        if (found is null || FileStat.TryStat(found, out var stat) != 0 || !stat.IsRegularFile)
        {
            throw new UpdateException($"{where}: '{program}' is not found; give the full path of the command that reboots this host", UpdateExitCodes.BadInput);
        }

        if (LibC.access(found, LibC.X_OK) != 0)
        {
            throw new UpdateException($"{where}: {found} is not executable; chmod +x it or fix the setting", UpdateExitCodes.BadInput);
        }

        OpenRebootCommand(options, found).Dispose();
        return found;
    }

    /// <summary>The resolved reboot command, checked as scripts are (<see cref="Trust.OpenExecutable"/>, its #! interpreter included), to be run through its descriptor; throws <see cref="UpdateException"/> (exit 3).</summary>
    public static WalkedPath OpenRebootCommand(UpdateOptions options, string program)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            return Trust.OpenExecutable(program, "reboot command");
        }
        catch (PathRefusedException e)
        {
            throw new UpdateException($"{options.ConfigPath}: [main] reboot_cmd: {e.Message}", UpdateExitCodes.BadInput);
        }
    }
}
