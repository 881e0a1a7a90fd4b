namespace Lockstep.Files;

/// <summary>A path that must name a regular file names a directory, FIFO, socket or device: no change of permissions fixes that.</summary>
public sealed class NotRegularFileException(string message) : IOException(message);
