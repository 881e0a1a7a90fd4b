#!/usr/bin/env bash
# Lock backend benchmark: starts a three-member etcd cluster and a PostgreSQL server on 127.0.0.1
# (data on tmpfs, PostgreSQL with fsync=off, as the tests do), then prints acquire+release latency
# (median, p99 of 1000 sequential cycles) and contention throughput (8 clients, 2 slots) as
# Markdown rows for docs/benchmarks.md. Needs etcd-server and postgresql (./tools/test installs
# them); under root PostgreSQL runs as the postgres user. Usage: bench/locks.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/Lockstep.LockBench/Lockstep.LockBench.csproj -c Release -nologo -v quiet >&2
exec dotnet bench/Lockstep.LockBench/bin/Release/net10.0/Lockstep.LockBench.dll "$@"
