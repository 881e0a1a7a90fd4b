#!/usr/bin/env bash
# lockstep refresh over four phases of 125 no-op scripts each, against Debian run-parts run on
# the same four directories in sequence (runs alternate, so both see the same machine load), and
# lockstep's start-up (refresh --print-phases). Prints medians and the ratio.
# Usage: bench/refresh-vs-run-parts.sh [RUNS]   (default 11; run it on a quiet machine)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-11}
command -v run-parts >/dev/null || { echo "run-parts (Debian's debianutils) is needed: apt-get install debianutils" >&2; exit 1; }
lockstep=$(./tools/publish)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
base="$work/base"
phases=(pre-configure configure post-configure migration)
for phase in "${phases[@]}"; do
  mkdir -p "$base/$phase.d"
  for i in $(seq -w 1 125); do
    printf '#!/bin/sh\n' > "$base/$phase.d/$i-noop"
  done
done
chmod -R u=rwX,go=rX "$base"
chmod 755 "$base"/*.d/*

# Microseconds from bash's own clock: no process started to read it.
now() { local t=$EPOCHREALTIME; echo "${t/[.,]/}"; }

lockstep_refresh() { "$lockstep" refresh --base-dir "$base" --lockfile "$work/refresh.lock" --state-dir "$work/state"; }
run_parts_four() { for phase in "${phases[@]}"; do run-parts "$base/$phase.d"; done; }
lockstep_start() { "$lockstep" refresh --print-phases; }

elapsed() {
  local start end
  start=$(now)
  "$@" >/dev/null 2>&1
  end=$(now)
  echo $((end - start))
}

median_ms() { sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f", m / 1000 }'; }

# Warm the page cache and the binary once, untimed.
lockstep_refresh >/dev/null 2>&1
run_parts_four >/dev/null 2>&1
lockstep_start >/dev/null

: > "$work/lockstep.times"
: > "$work/run-parts.times"
: > "$work/start.times"
for _ in $(seq "$runs"); do
  elapsed lockstep_refresh >> "$work/lockstep.times"
  elapsed run_parts_four >> "$work/run-parts.times"
  elapsed lockstep_start >> "$work/start.times"
done

lockstep_ms=$(median_ms < "$work/lockstep.times")
run_parts_ms=$(median_ms < "$work/run-parts.times")
start_ms=$(median_ms < "$work/start.times")
ratio=$(awk -v a="$lockstep_ms" -v b="$run_parts_ms" 'BEGIN { printf "%.2f", a / b }')

echo "machine:              $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "runs:                 $runs each, alternating; 4 phases x 125 no-op #!/bin/sh scripts"
echo "lockstep refresh:     median $lockstep_ms ms"
echo "run-parts, 4 dirs:    median $run_parts_ms ms"
echo "ratio:                ${ratio}x (target at most 0.95x)"
echo "start-up:             median $start_ms ms for 'lockstep refresh --print-phases' (target at most 8 ms)"
