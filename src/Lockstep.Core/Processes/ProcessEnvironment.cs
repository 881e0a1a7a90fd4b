using System.Collections;
using System.Runtime.InteropServices;

namespace Lockstep.Processes;

/// <summary>
/// An immutable environment for child processes. Its native envp block is built once and reused
/// for every spawn, since a run may start thousands of scripts with the same environment. Names and
/// values keep their bytes (<see cref="OsText"/>), UTF-8 or not.
/// </summary>
public sealed unsafe class ProcessEnvironment
{
    private readonly KeyValuePair<string, string>[] _variables;
    private NativeBlock? _native;

    private ProcessEnvironment(KeyValuePair<string, string>[] variables) => _variables = variables;

    public IReadOnlyList<KeyValuePair<string, string>> Variables => _variables;

    /// <summary>The environment Lockstep was started with, every variable with its exact bytes (<see cref="StartupBytes"/>).</summary>
    public static ProcessEnvironment FromCurrentProcess()
    {
        var list = new List<KeyValuePair<string, string>>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            list.Add(new((string)entry.Key, (string?)entry.Value ?? ""));
        }

        if (list.Exists(pair => pair.Key.Contains('\uFFFD', StringComparison.Ordinal) || pair.Value.Contains('\uFFFD', StringComparison.Ordinal)))
        {
            Recover(list, StartupBytes.Environment() ?? []);
        }

        list.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return new ProcessEnvironment([.. list]);
    }

    /// <summary>
    /// Replaces each variable .NET decoded lossily by the kernel's word it came from (the word whose
    /// <see cref="StartupBytes.Lossy"/> is the same KEY=VALUE), decoded by <see cref="OsText"/>. A variable the
    /// process changed since it started has no such word and stays as it is.
    /// </summary>
    internal static void Recover(List<KeyValuePair<string, string>> variables, IReadOnlyList<byte[]> startup)
    {
        var exact = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (byte[] word in startup)
        {
            string decoded = OsText.Decode(word);
            exact.TryAdd(StartupBytes.Lossy(decoded), decoded);
        }

        for (int i = 0; i < variables.Count; i++)
        {
            var (key, value) = variables[i];
            if (exact.TryGetValue(StartupBytes.Lossy($"{key}={value}"), out string? word) && word.IndexOf('=', StringComparison.Ordinal) is var eq and > 0)
            {
                variables[i] = new(word[..eq], word[(eq + 1)..]);
            }
        }
    }

    public static ProcessEnvironment FromPairs(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var byKey = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            byKey[pair.Key] = pair.Value;
        }

        return new ProcessEnvironment([.. byKey]);
    }

    public string? Get(string key)
    {
        foreach (var pair in _variables)
        {
            if (pair.Key == key)
            {
                return pair.Value;
            }
        }

        return null;
    }

    /// <summary>A copy with the given variables set (a null value removes the variable).</summary>
    public ProcessEnvironment With(params ReadOnlySpan<(string Key, string? Value)> changes)
    {
        var byKey = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in _variables)
        {
            byKey[pair.Key] = pair.Value;
        }

        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                byKey.Remove(key);
            }
            else
            {
                byKey[key] = value;
            }
        }

        return new ProcessEnvironment([.. byKey]);
    }

    internal byte** NativeEnvp => (_native ??= new NativeBlock(_variables)).Envp;

    /// <summary>One allocation holding the pointer array and every KEY=VALUE string.</summary>
    private sealed class NativeBlock
    {
        private readonly void* _memory;

        public NativeBlock(KeyValuePair<string, string>[] variables)
        {
            int pointers = (variables.Length + 1) * sizeof(byte*);
            int bytes = 0;
            foreach (var pair in variables)
            {
                bytes += OsText.GetByteCount(pair.Key) + OsText.GetByteCount(pair.Value) + 2;
            }

            _memory = NativeMemory.Alloc((nuint)(pointers + bytes));
            var envp = (byte**)_memory;
            var cursor = (byte*)_memory + pointers;
            var end = cursor + bytes;
            for (int i = 0; i < variables.Length; i++)
            {
                envp[i] = cursor;
                cursor += OsText.Encode(variables[i].Key, new Span<byte>(cursor, (int)(end - cursor)));
                *cursor++ = (byte)'=';
                cursor += OsText.Encode(variables[i].Value, new Span<byte>(cursor, (int)(end - cursor)));
                *cursor++ = 0;
            }

            envp[variables.Length] = null;
            Envp = envp;
        }

        public byte** Envp { get; }

        ~NativeBlock() => NativeMemory.Free(_memory);
    }
}
