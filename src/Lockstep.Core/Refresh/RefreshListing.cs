using Lockstep.Logging;
using Lockstep.Parts;

namespace Lockstep.Refresh;

/// <summary>What a refresh would run, phase by phase, without running anything or taking the lock.</summary>
public static class RefreshListing
{
    /// <summary>Every script path, in run order; throws <see cref="PartsException"/> when a phase directory is unusable.</summary>
    public static IReadOnlyList<Part> List(RefreshOptions options, ILog log)
    {
        ArgumentNullException.ThrowIfNull(options);
        var parts = new List<Part>();
        foreach (string phase in options.Phases)
        {
            string dir = RefreshPhases.DirectoryOf(options.BaseDirectory, phase);
            if (RefreshRunner.IsMissing(dir))
            {
                log.Debug($"phase {phase}: {dir} does not exist; it would be skipped");
                continue;
            }

            parts.AddRange(PartScanner.Scan(dir, options.NameFilter, PartOrderKind.Numeric, log));
        }

        return parts;
    }
}
