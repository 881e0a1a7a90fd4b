using System.Collections;
using System.Runtime.InteropServices;
using System.Text;

namespace Lockstep.Processes;

/// <summary>
/// An immutable environment for child processes. Its native envp block is built once and reused
/// for every spawn, since a run may start thousands of scripts with the same environment.
/// </summary>
public sealed unsafe class ProcessEnvironment
{
    private readonly KeyValuePair<string, string>[] _variables;
    private NativeBlock? _native;

    private ProcessEnvironment(KeyValuePair<string, string>[] variables) => _variables = variables;

    public IReadOnlyList<KeyValuePair<string, string>> Variables => _variables;

    public static ProcessEnvironment FromCurrentProcess()
    {
        var list = new List<KeyValuePair<string, string>>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            list.Add(new((string)entry.Key, (string?)entry.Value ?? ""));
        }

        list.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return new ProcessEnvironment([.. list]);
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
                bytes += Encoding.UTF8.GetByteCount(pair.Key) + Encoding.UTF8.GetByteCount(pair.Value) + 2;
            }

            _memory = NativeMemory.Alloc((nuint)(pointers + bytes));
            var envp = (byte**)_memory;
            var cursor = (byte*)_memory + pointers;
            var end = cursor + bytes;
            for (int i = 0; i < variables.Length; i++)
            {
                envp[i] = cursor;
                cursor += Encoding.UTF8.GetBytes(variables[i].Key, new Span<byte>(cursor, (int)(end - cursor)));
                *cursor++ = (byte)'=';
                cursor += Encoding.UTF8.GetBytes(variables[i].Value, new Span<byte>(cursor, (int)(end - cursor)));
                *cursor++ = 0;
            }

            envp[variables.Length] = null;
            Envp = envp;
        }

        public byte** Envp { get; }

        ~NativeBlock() => NativeMemory.Free(_memory);
    }
}
