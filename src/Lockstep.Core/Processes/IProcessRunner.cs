namespace Lockstep.Processes;

/// <summary>The seam every command runs scripts through.</summary>
public interface IProcessRunner
{
    /// <summary>Runs the process to its end. stdin, stdout, stderr, cwd and umask are the caller's.</summary>
    ProcessOutcome Run(ProcessSpec spec);
}
