using System.Text.Json;

namespace Lockstep.Json;

/// <summary>
/// What is wrong with a JSON document, for a one-line message: System.Text.Json's message ends in a
/// position dump and may name Lockstep's own types, which mean nothing to the reader.
/// </summary>
public static class JsonFailure
{
    public static string Reason(JsonException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        string what = failure.Message;
        int dump = what.IndexOf(" Path: ", StringComparison.Ordinal);
        what = (dump >= 0 ? what[..dump] : what).ReplaceLineEndings(" ").Trim().TrimEnd('.');
        if (what.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            what = failure.Path is { Length: > 1 } path ? $"a value of the wrong type at {path}" : "a value of the wrong type";
        }

        return failure.LineNumber is { } line ? $"{what}; line {line + 1}, byte {failure.BytePositionInLine + 1}" : what;
    }
}
