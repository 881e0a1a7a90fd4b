namespace Lockstep.Parts;

/// <summary>A pattern grep -E rejects (<see cref="Refused"/> false), or .NET syntax grep -E reads otherwise (true); the message says what to write.</summary>
public sealed class ExtendedRegexException(string message, bool refused) : Exception(message)
{
    public bool Refused { get; } = refused;
}
