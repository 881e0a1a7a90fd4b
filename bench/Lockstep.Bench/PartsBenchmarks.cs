using BenchmarkDotNet.Attributes;
using Lockstep.Parts;

namespace Lockstep.Bench;

/// <summary>The per-directory work of run-parts that is not the scripts themselves.</summary>
[MemoryDiagnoser]
public class PartsBenchmarks
{
    private string[] _names = [];
    private PartNameFilter _regexFilter = PartNameFilter.Default;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _names = Enumerable.Range(0, 500)
            .Select(i => $"{random.Next(0, 100):D2}-{(char)('a' + random.Next(26))}script{i}")
            .ToArray();
        _regexFilter = PartNameFilter.FromEnvironment("^[0-9A-Za-z_-]+$");
    }

    [Benchmark]
    public string[] SortNumeric()
    {
        var copy = (string[])_names.Clone();
        Array.Sort(copy, PartOrder.CompareNumeric);
        return copy;
    }

    [Benchmark]
    public string[] SortLexical()
    {
        var copy = (string[])_names.Clone();
        Array.Sort(copy, PartOrder.CompareBytes);
        return copy;
    }

    [Benchmark]
    public int FilterDefault() => _names.Count(PartNameFilter.Default.Matches);

    [Benchmark]
    public int FilterRegex() => _names.Count(_regexFilter.Matches);
}
