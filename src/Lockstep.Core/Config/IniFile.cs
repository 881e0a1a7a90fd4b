using Lockstep.Files;
using LibCErrno = Lockstep.Processes.LibC;

namespace Lockstep.Config;

/// <summary>
/// An INI file as Python's configparser reads foreman_dlm_updater's config.ini: [sections],
/// <c>key = value</c> or <c>key: value</c>, keys case-insensitive, '#' and ';' comment lines,
/// indented lines continuing the previous value, a [DEFAULT] section whose keys every other section
/// has unless it sets them itself, and <c>%</c> interpolation (<see cref="Interpolation"/>) when a
/// value is read. Every value remembers its line for error messages.
/// </summary>
public sealed class IniFile
{
    /// <summary>configparser's default_section: not a section of its own, its keys are everyone's.</summary>
    public const string DefaultSection = "DEFAULT";

    private readonly Dictionary<string, Dictionary<string, IniValue>> _sections;
    private readonly Dictionary<string, IniValue> _defaults;
    private readonly List<IniValue> _repeated;

    private IniFile(string path, Dictionary<string, Dictionary<string, IniValue>> sections, List<IniValue> repeated)
    {
        Path = path;
        _defaults = sections.Remove(DefaultSection, out var defaults) ? defaults : [];
        _sections = sections;
        _repeated = repeated;
    }

    /// <summary>Keys that may be given more than once in a section (each line one value), as <c>maintenance_window</c>.</summary>
    public static readonly IReadOnlySet<string> RepeatableKeys = new HashSet<string>(StringComparer.Ordinal) { "maintenance_window" };

    public const int MaxBytes = 1024 * 1024;

    public string Path { get; }

    public IEnumerable<string> Sections => _sections.Keys;

    /// <summary>
    /// Reads and parses <paramref name="path"/>; throws <see cref="ConfigException"/> naming file and line.
    /// A configuration names code root runs (script directories, reboot_cmd) and where secrets go, so it
    /// must meet the trust rule scripts meet (<see cref="Trust.Open"/>), and it is read through the
    /// descriptor that was checked, never more than <see cref="MaxBytes"/>.
    /// </summary>
    public static IniFile Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            using var walked = Trust.Open(path, "configuration file", "read", regularFile: true);
            bytes = BoundedFile.Read(walked, MaxBytes);
        }
        catch (PathRefusedException e) when (e.Errno == 0)
        {
            throw new ConfigException($"{e.Message}; nothing was done");
        }
        catch (PathRefusedException e) when (e.Errno is LibCErrno.ENOENT or LibCErrno.ENOTDIR)
        {
            throw new ConfigException($"{path}: configuration file not found; create it or pass --config FILE");
        }
        catch (PathRefusedException e) when (e.Errno == LibCErrno.EACCES)
        {
            throw new ConfigException($"{path}: configuration file cannot be read (permission denied); run as root or fix its mode");
        }
        catch (UnauthorizedAccessException)
        {
            throw new ConfigException($"{path}: configuration file cannot be read (permission denied); run as root or fix its mode");
        }
        catch (IOException e)
        {
            throw new ConfigException($"{path}: configuration file cannot be read ({FileFailure.Reason(e, path)}); check --config");
        }

        return Parse(path, System.Text.Encoding.UTF8.GetString(bytes));
    }

    public static IniFile Parse(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sections = new Dictionary<string, Dictionary<string, IniValue>>(StringComparer.Ordinal);
        var repeated = new List<IniValue>();
        Dictionary<string, IniValue>? current = null;
        string? currentSection = null;
        string? lastKey = null;
        bool lastRepeated = false;
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            int number = i + 1;
            string raw = lines[i].TrimEnd('\r');
            string trimmed = raw.Trim();
            if (trimmed.Length == 0 || trimmed[0] is '#' or ';')
            {
                continue;
            }

            if (char.IsWhiteSpace(raw[0]) && lastKey is not null && current is not null)
            {
                current[lastKey] = Continue(current[lastKey], trimmed);
                continue;
            }

            if (char.IsWhiteSpace(raw[0]) && lastRepeated)
            {
                repeated[^1] = Continue(repeated[^1], trimmed);
                continue;
            }

            lastRepeated = false;

            if (trimmed[0] == '[')
            {
                if (trimmed[^1] != ']' || trimmed.Length < 3)
                {
                    throw new ConfigException($"{path}:{number}: malformed section header '{trimmed}'; write it as [name]");
                }

                currentSection = trimmed[1..^1].Trim();
                // configparser refuses a section or key given twice; so do we, rather than guess which one wins.
                if (sections.ContainsKey(currentSection))
                {
                    throw new ConfigException($"{path}:{number}: section [{currentSection}] appears twice; merge the two into one");
                }

                if (!sections.TryGetValue(currentSection, out current))
                {
                    current = new Dictionary<string, IniValue>(StringComparer.OrdinalIgnoreCase);
                    sections[currentSection] = current;
                }

                lastKey = null;
                continue;
            }

            int separator = trimmed.IndexOfAny(['=', ':']);
            if (separator <= 0)
            {
                throw new ConfigException($"{path}:{number}: expected 'key = value', found '{trimmed}'");
            }

            if (current is null || currentSection is null)
            {
                throw new ConfigException($"{path}:{number}: '{trimmed}' comes before any [section]; put it under [main]");
            }

            string key = trimmed[..separator].Trim().ToLowerInvariant();
            var value = new IniValue(path, currentSection, key, trimmed[(separator + 1)..].Trim(), number);
            if (current.TryGetValue(key, out var earlier))
            {
                if (!RepeatableKeys.Contains(key))
                {
                    throw new ConfigException($"{path}:{number}: [{currentSection}] {key} is set twice (first at line {earlier.Line}); keep one");
                }

                repeated.Add(value);
                lastKey = null;
                lastRepeated = true;
                continue;
            }

            current[key] = value;
            lastKey = key;
        }

        return new IniFile(path, sections, repeated);
    }

    private static IniValue Continue(IniValue previous, string line) =>
        previous with { Text = previous.Text.Length == 0 ? line : previous.Text + "\n" + line };

    /// <summary>Whether the file has <paramref name="section"/>; [DEFAULT] is not a section, as in configparser.</summary>
    public bool HasSection(string section) => _sections.ContainsKey(section);

    /// <summary>
    /// The value with its <c>%</c> references expanded, from the section or else from [DEFAULT]; null
    /// when neither sets the key or the section is absent (configparser has no keys for a missing
    /// section, [DEFAULT] or not). A bad reference throws <see cref="ConfigException"/>.
    /// </summary>
    public IniValue? Get(string section, string key)
    {
        if (!_sections.TryGetValue(section, out var values) || Raw(values, key) is not { } value)
        {
            return null;
        }

        return Expanded(section, values, value);
    }

    /// <summary>
    /// Every value of a key in file order, each expanded (for <see cref="RepeatableKeys"/>; others
    /// have at most one). The repeats come from where the first came from: the section or [DEFAULT].
    /// </summary>
    public IReadOnlyList<IniValue> GetAll(string section, string key)
    {
        if (!_sections.TryGetValue(section, out var values) || Raw(values, key) is not { } first)
        {
            return [];
        }

        return [.. _repeated.Where(v => v.Section == first.Section && string.Equals(v.Key, key, StringComparison.OrdinalIgnoreCase))
            .Prepend(first).Select(v => Expanded(section, values, v))];
    }

    /// <summary>The keys the section sets itself, as written (not expanded, without [DEFAULT]'s).</summary>
    public IEnumerable<IniValue> Values(string section) =>
        _sections.TryGetValue(section, out var values) ? values.Values : [];

    private IniValue Expanded(string section, Dictionary<string, IniValue> values, IniValue value)
    {
        string text = Interpolation.Expand(value, section, name => Raw(values, name)?.Text);
        return ReferenceEquals(text, value.Text) ? value : value with { Text = text };
    }

    private IniValue? Raw(Dictionary<string, IniValue> values, string key) =>
        values.TryGetValue(key, out var own) ? own : _defaults.GetValueOrDefault(key);
}
