using System.CommandLine;
using Lockstep.State;

namespace Lockstep.Cli.Commands;

/// <summary>The options every <c>state</c> subcommand takes, with their environment variables (an option wins).</summary>
internal sealed class StateOptions(CommandHost host)
{
    public const string StateRootVariable = "LOCKSTEP_STATE_ROOT";
    public const string PristineDirVariable = "LOCKSTEP_PRISTINE_DIR";
    public const string RegistryVariable = "LOCKSTEP_STATE_REGISTRY";

    // use-ephemeral's later versions read the state root from the stateful-path element's variable.
    public const string LegacyStateRootVariable = "STATEFUL_PATH";

    public Option<string> StateRoot { get; } = Create("--state-root", "DIR", $"The state volume (default {StateLayout.DefaultStateRoot}, or ${StateRootVariable}, or ${LegacyStateRootVariable})");

    public Option<string> PristineDir { get; } = Create("--pristine-dir", "DIR", $"The pristine store filled at image build (default {StateLayout.DefaultPristineDir}, or ${PristineDirVariable})");

    public Option<string> Registry { get; } = Create("--registry", "FILE", $"The registry of stateful paths (default PRISTINE-DIR/{StateLayout.RegistryName}, or ${RegistryVariable})");

    public Option<string> LogLevel { get; } = MakeRecursive(CliLog.CreateOption());

    public IEnumerable<Option> All => [StateRoot, PristineDir, Registry, LogLevel];

    /// <summary>The session of one subcommand: the layout from the options (or their variables) and the stderr log.</summary>
    public StateSession Session(ParseResult result, string program) => new(Layout(result), host.Log(result, LogLevel, program));

    private StateLayout Layout(ParseResult result) => new(
        result.GetValue(StateRoot) ?? Variable(StateRootVariable) ?? Variable(LegacyStateRootVariable),
        result.GetValue(PristineDir) ?? Variable(PristineDirVariable),
        result.GetValue(Registry) ?? Variable(RegistryVariable));

    private static Option<string> MakeRecursive(Option<string> option)
    {
        option.Recursive = true;
        return option;
    }

    private string? Variable(string name) => host.Variable(name) is { Length: > 0 } value ? value : null;

    private static Option<string> Create(string name, string helpName, string description) => new(name)
    {
        Description = description,
        HelpName = helpName,
        Recursive = true,
        Validators =
        {
            r =>
            {
                if (string.IsNullOrEmpty(r.GetValueOrDefault<string>()))
                {
                    r.AddError($"{name} takes a non-empty path");
                }
            },
        },
    };
}
