using Lockstep.Files;
using Lockstep.Logging;

namespace Lockstep.State;

/// <summary>
/// One <c>lockstep state</c> command from start to end (README "lockstep state"): the registry's
/// directory, its lock, the registry read with its bad lines reported, and the failures added up
/// into the documented exit status. Before anything, the paths it uses must be trusted (<see cref="TrustedRoots"/>). A whole-command failure becomes its one line and status.
/// </summary>
public sealed class StateSession(StateLayout layout, ILog log)
{
    /// <summary>Registers the valid paths of <paramref name="paths"/> under the registry lock; a refused path is a usage error (the others are still registered).</summary>
    public int Register(IReadOnlyList<string> paths, bool leaveSymlink)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var valid = new List<StatefulPath>();
        int refused = 0;
        foreach (string raw in paths)
        {
            string? problem = StatefulPath.TryNormalize(raw, out string path, out string why) ? layout.Overlap(path) : why;
            if (problem is null)
            {
                valid.Add(new StatefulPath(path, leaveSymlink));
                continue;
            }

            log.Error($"cannot register: {problem}");
            refused++;
        }

        int failures = Guard(() =>
        {
            if (valid.Count == 0)
            {
                return 0;
            }

            TrustedRoots.Check(layout, registryOnly: true);
            string dir = Path.GetDirectoryName(layout.Registry)!;
            RuntimeDirectory.Ensure(dir, ParentDirectories.SharedMode);
            using var held = StateLock.Acquire(dir, log);
            return RegistryFile.Register(layout.Registry, valid, log);
        });
        return refused > 0 ? StateExitCodes.Usage : failures > 0 ? StateExitCodes.PathFailed : StateExitCodes.Success;
    }

    public int Finalize() => EachRegistered(paths => new StateFinalizer(layout, log).Finalize(paths));

    public int Restore() => EachRegistered(paths => new StateRestorer(layout, log).Restore(paths));

    /// <summary>Lists the registered paths and hands the listing to <paramref name="show"/>; a bad registry line fails the command after the others are shown.</summary>
    public int List(Action<StateListing> show)
    {
        ArgumentNullException.ThrowIfNull(show);
        return Guard(() =>
        {
            TrustedRoots.Check(layout, registryOnly: false);
            var registry = ReadRegistry();
            show(new StateLister(layout).List(registry.Paths));
            return registry.Problems.Count > 0 ? StateExitCodes.PathFailed : StateExitCodes.Success;
        });
    }

    /// <summary>Runs <paramref name="handle"/> on every registered path under the registry lock; nothing registered is success.</summary>
    private int EachRegistered(Func<IReadOnlyList<StatefulPath>, int> handle) => Guard(() =>
    {
        TrustedRoots.Check(layout, registryOnly: false);
        string dir = Path.GetDirectoryName(layout.Registry)!;
        if (!Path.Exists(layout.Registry))
        {
            log.Debug($"no registry at {layout.Registry}: no stateful paths");
            return StateExitCodes.Success;
        }

        using var held = StateLock.Acquire(dir, log);
        var registry = ReadRegistry();
        int failures = handle(registry.Paths) + registry.Problems.Count;
        return failures > 0 ? StateExitCodes.PathFailed : StateExitCodes.Success;
    });

    private RegistryContents ReadRegistry()
    {
        var registry = RegistryFile.Read(layout.Registry);
        foreach (string problem in registry.Problems)
        {
            log.Error($"{problem}; fix or remove that line (the other paths are handled)");
        }

        return registry;
    }

    /// <summary>Runs a command's body, turning a whole-command failure into its one line and status.</summary>
    private int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (StateException e)
        {
            log.Error(e.Message);
            return e.ExitCode;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Error($"{e.Message}; fix that and run the command again");
            return StateExitCodes.PathFailed;
        }
    }
}
