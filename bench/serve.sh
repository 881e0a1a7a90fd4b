#!/usr/bin/env bash
# FleetLock server benchmark: starts a three-member etcd cluster and a PostgreSQL server on
# 127.0.0.1 (data on tmpfs, PostgreSQL with fsync=off, as the tests do), runs `lockstep serve`
# on each and, when given an airlock binary (built by hand from coreos/airlock's source, see
# docs/serve.md), airlock on the same etcd; 32 clients loop pre-reboot + steady-state on a group
# of 2 slots. Prints Markdown rows for docs/benchmarks.md.
# Usage: bench/serve.sh [SECONDS] [AIRLOCK_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
lockstep=$(./tools/publish)
dotnet build bench/Lockstep.ServeBench/Lockstep.ServeBench.csproj -c Release -nologo -v quiet >&2
exec dotnet bench/Lockstep.ServeBench/bin/Release/net10.0/Lockstep.ServeBench.dll "$lockstep" "${1:-10}" ${2:+"$2"}
