#!/usr/bin/env bash
# BenchmarkDotNet benchmarks of Lockstep's hot code (ordering, name filtering).
# Usage: bench/hot-code.sh [BenchmarkDotNet arguments, default: --filter '*']
set -euo pipefail
cd "$(dirname "$0")/Lockstep.Bench"
if [ $# -eq 0 ]; then set -- --filter '*'; fi
dotnet run -c Release -- "$@"
