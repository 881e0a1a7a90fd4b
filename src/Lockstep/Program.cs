using Lockstep.Cli;

return CliApp.Run(InvokedName.Read(), args);
