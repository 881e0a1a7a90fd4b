using Lockstep.Cli;
using Lockstep.Processes;

// .NET decodes argv lossily; the kernel's bytes are the arguments (README, "Paths are bytes").
return CliApp.Run(InvokedName.Read(), StartupBytes.Arguments(args));
