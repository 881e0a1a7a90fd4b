#!/usr/bin/env bash
# A whole fleet rollout under faults, at any size (docs/reliability.md): builds lockstep and the
# simulator, starts a three-member etcd cluster (with `lockstep serve` in front of it for
# --backend serve) or a PostgreSQL server on 127.0.0.1, rolls out
# N simulated hosts with the real binary and prints the seed, then the checker's report.
# Needs etcd-server, postgresql and util-linux's flock (./tools/test installs them).
# Usage: bench/rollout.sh [--backend etcd|postgres|serve] [--hosts 200] [--slots 10] [--seed N]
#                         [--parallel 48] [--minutes 15] [--no-faults] [--binary PATH]
# Exit status: 0 no violation, 1 violations (hosts, logs and timeline are kept), 2 bad arguments.
set -euo pipefail
cd "$(dirname "$0")/.."
# The binary as it ships (tools/publish); --binary PATH runs another one, e.g. a test build.
binary=$(./tools/publish)
dotnet build bench/Lockstep.Rollout/Lockstep.Rollout.csproj -c Release -nologo -v quiet >&2
exec dotnet bench/Lockstep.Rollout/bin/Release/net10.0/Lockstep.RolloutBench.dll --binary "$binary" "$@"
