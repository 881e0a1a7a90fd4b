using Lockstep.Files;

namespace Lockstep.Config;

/// <summary>
/// An INI file as Python's configparser reads foreman_dlm_updater's config.ini: [sections],
/// <c>key = value</c> or <c>key: value</c>, keys case-insensitive, '#' and ';' comment lines,
/// indented lines continuing the previous value. Every value remembers its line for error messages.
/// </summary>
public sealed class IniFile
{
    private readonly Dictionary<string, Dictionary<string, IniValue>> _sections;

    private IniFile(string path, Dictionary<string, Dictionary<string, IniValue>> sections)
    {
        Path = path;
        _sections = sections;
    }

    public const int MaxBytes = 1024 * 1024;

    public string Path { get; }

    public IEnumerable<string> Sections => _sections.Keys;

    /// <summary>
    /// Reads and parses <paramref name="path"/>; throws <see cref="ConfigException"/> naming file and line.
    /// <paramref name="inspect"/> sees the opened file before it is read (a trust check on the very file read).
    /// </summary>
    public static IniFile Load(string path, Action<Microsoft.Win32.SafeHandles.SafeFileHandle>? inspect = null)
    {
        string text;
        try
        {
            // A configuration is a few KiB; refuse to read /dev/zero or a log file given by mistake into memory.
            using var stream = File.OpenRead(path);
            inspect?.Invoke(stream.SafeFileHandle);
            var buffer = new byte[MaxBytes + 1];
            int read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (read > MaxBytes)
            {
                throw new ConfigException($"{path}: larger than {MaxBytes / 1024} KiB, so not a configuration file; check --config");
            }

            text = System.Text.Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (FileNotFoundException)
        {
            throw new ConfigException($"{path}: configuration file not found; create it or pass --config FILE");
        }
        catch (DirectoryNotFoundException)
        {
            throw new ConfigException($"{path}: configuration file not found; create it or pass --config FILE");
        }
        catch (UnauthorizedAccessException)
        {
            throw new ConfigException($"{path}: configuration file cannot be read (permission denied); run as root or fix its mode");
        }
        catch (IOException e)
        {
            throw new ConfigException($"{path}: configuration file cannot be read ({FileFailure.Reason(e, path)})");
        }

        return Parse(path, text);
    }

    public static IniFile Parse(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sections = new Dictionary<string, Dictionary<string, IniValue>>(StringComparer.Ordinal);
        Dictionary<string, IniValue>? current = null;
        string? currentSection = null;
        string? lastKey = null;
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
                var previous = current[lastKey];
                current[lastKey] = previous with { Text = previous.Text.Length == 0 ? trimmed : previous.Text + "\n" + trimmed };
                continue;
            }

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
            if (current.TryGetValue(key, out var earlier))
            {
                throw new ConfigException($"{path}:{number}: [{currentSection}] {key} is set twice (first at line {earlier.Line}); keep one");
            }

            current[key] = new IniValue(path, currentSection, key, trimmed[(separator + 1)..].Trim(), number);
            lastKey = key;
        }

        return new IniFile(path, sections);
    }

    public bool HasSection(string section) => _sections.ContainsKey(section);

    /// <summary>The value, or null when the key (or section) is absent.</summary>
    public IniValue? Get(string section, string key) =>
        _sections.TryGetValue(section, out var values) && values.TryGetValue(key, out var value) ? value : null;

    public IEnumerable<IniValue> Values(string section) =>
        _sections.TryGetValue(section, out var values) ? values.Values : [];
}
