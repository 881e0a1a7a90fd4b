using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Lockstep.Bench.PartsBenchmarks).Assembly).Run(args);
