#!/usr/bin/env bash
# Every figure issue 15 asks of the NativeAOT binary, in one alternating run (each round runs
# every contender once, in turn, so all see the same machine load):
#   - 500 no-op scripts: lockstep run-parts against Debian run-parts (median wall, peak RSS);
#   - 4 phases x 125 no-op scripts: lockstep refresh against run-parts on the four directories;
#   - start-up: lockstep refresh --print-phases;
#   - 1 GiB written to stdout by one script, through lockstep run-parts and run directly, into
#     the same pipe (throughput);
#   - the binary's size.
# Usage: bench/native.sh [ROUNDS (default 21)]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-21}
command -v run-parts >/dev/null || { echo "Debian run-parts (debianutils) is needed" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time is needed: apt-get install time" >&2; exit 1; }
lockstep=$(./tools/publish)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/parts"
for i in $(seq -w 1 500); do printf '#!/bin/sh\n' >"$work/parts/$i-noop"; done
phases=(pre-configure configure post-configure migration)
for phase in "${phases[@]}"; do
  mkdir -p "$work/base/$phase.d"
  for i in $(seq -w 1 125); do printf '#!/bin/sh\n' >"$work/base/$phase.d/$i-noop"; done
done
mkdir "$work/gib"
printf '#!/bin/sh\nexec head -c 1073741824 /dev/zero\n' >"$work/gib/10-write"
chmod -R u=rwX,go=rX "$work"
chmod 755 "$work"/parts/* "$work"/base/*.d/* "$work/gib/10-write"

now() { local t=$EPOCHREALTIME; echo "${t/[.,]/}"; }   # microseconds, no process started
# Wall microseconds of a command, its output discarded.
elapsed() { local s e; s=$(now); "$@" >/dev/null 2>&1; e=$(now); echo $((e - s)); }
# Peak RSS (KiB) of one command, from GNU time.
peak_rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -n 1; }

lockstep_500() { "$lockstep" run-parts "$work/parts"; }
debian_500() { run-parts "$work/parts"; }
lockstep_refresh() { "$lockstep" refresh --base-dir "$work/base" --lockfile "$work/refresh.lock" --state-dir "$work/state"; }
debian_four() { for phase in "${phases[@]}"; do run-parts "$work/base/$phase.d"; done; }
start_up() { "$lockstep" refresh --print-phases; }
gib_lockstep() { "$lockstep" run-parts "$work/gib" | cat >/dev/null; }
gib_direct() { "$work/gib/10-write" | cat >/dev/null; }

contenders=(lockstep_500 debian_500 lockstep_refresh debian_four start_up gib_lockstep gib_direct)
for c in "${contenders[@]}"; do "$c" >/dev/null 2>&1; : >"$work/$c.times"; done   # warm-up, untimed
: >"$work/rss.kib"
for _ in $(seq "$rounds"); do
  for c in "${contenders[@]}"; do elapsed "$c" >>"$work/$c.times"; done
  peak_rss "$lockstep" run-parts "$work/parts" >>"$work/rss.kib"
done

median() { sort -n "$work/$1.times" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A m
for c in "${contenders[@]}"; do m[$c]=$(median "$c"); done
rss=$(sort -n "$work/rss.kib" | tail -n 1)
size=$(stat -c %s "$lockstep")

echo "machine:  $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "date:     $(date -u '+%Y-%m-%d %H:%M UTC'), $rounds alternating rounds"
awk -v l5="${m[lockstep_500]}" -v d5="${m[debian_500]}" -v lr="${m[lockstep_refresh]}" -v d4="${m[debian_four]}" \
    -v st="${m[start_up]}" -v gl="${m[gib_lockstep]}" -v gd="${m[gib_direct]}" -v rss="$rss" -v size="$size" 'BEGIN {
  printf "500 scripts:      lockstep run-parts %.1f ms, Debian run-parts %.1f ms, ratio %.3fx (target <= 0.95x)\n", l5 / 1e3, d5 / 1e3, l5 / d5
  printf "4 x 125 scripts:  lockstep refresh %.1f ms, run-parts x4 %.1f ms, ratio %.3fx (target <= 0.95x)\n", lr / 1e3, d4 / 1e3, lr / d4
  printf "start-up:         refresh --print-phases %.2f ms (target <= 8 ms)\n", st / 1e3
  printf "peak RSS:         %.1f MiB, 500-script run-parts, highest of the rounds (target <= 16 MiB)\n", rss / 1024
  printf "1 GiB to stdout:  through lockstep %.0f MiB/s, direct %.0f MiB/s, ratio %.3f (target >= 0.95)\n", 1024e6 / gl, 1024e6 / gd, gd / gl
  printf "binary:           %.1f MiB (%d bytes)\n", size / 1048576, size
}'
