namespace Lockstep.Config;

/// <summary>A configuration problem: the message names file, line, section and key, and what to do.</summary>
public sealed class ConfigException(string message) : Exception(message);
