#!/usr/bin/env bash
# Whole-process comparison: `lockstep run-parts` against Debian's `run-parts` on a directory of
# no-op scripts, runs alternating, reporting median wall time, peak RSS and the ratio.
# Usage: bench/run-parts-vs-debian.sh [RUNS (default 21)] [SCRIPTS (default 500)]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-21}
count=${2:-500}

command -v run-parts >/dev/null || { echo "Debian run-parts (debianutils) is needed" >&2; exit 1; }
if [ ! -x /usr/bin/time ]; then
  [ "$(id -u)" -eq 0 ] || { echo "GNU time is needed: apt-get install time" >&2; exit 1; }
  apt-get install -y -q time >/dev/null
fi
lockstep=$(./tools/publish)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/parts"
for i in $(seq -w 1 "$count"); do
  printf '#!/bin/sh\n' >"$work/parts/$i-noop"
done
chmod 755 "$work" "$work/parts" "$work"/parts/*

# One run: prints "<wall ns> <peak RSS KiB>".
measure() {
  local start end rss
  start=$(date +%s%N)
  rss=$(/usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -n 1)
  end=$(date +%s%N)
  echo "$((end - start)) $rss"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: >"$work/lockstep.txt"
: >"$work/debian.txt"
measure "$lockstep" run-parts "$work/parts" >/dev/null   # warm the page cache
measure run-parts "$work/parts" >/dev/null
for _ in $(seq "$runs"); do
  measure "$lockstep" run-parts "$work/parts" >>"$work/lockstep.txt"
  measure run-parts "$work/parts" >>"$work/debian.txt"
done

l_wall=$(cut -d' ' -f1 "$work/lockstep.txt" | median)
d_wall=$(cut -d' ' -f1 "$work/debian.txt" | median)
l_rss=$(cut -d' ' -f2 "$work/lockstep.txt" | sort -n | tail -n 1)
d_rss=$(cut -d' ' -f2 "$work/debian.txt" | sort -n | tail -n 1)
awk -v lw="$l_wall" -v dw="$d_wall" -v lr="$l_rss" -v dr="$d_rss" -v n="$count" -v r="$runs" 'BEGIN {
  printf "scripts: %d, runs each: %d (alternating)\n", n, r
  printf "%-22s %12s %14s\n", "", "median wall", "peak RSS"
  printf "%-22s %9.1f ms %10.1f MiB\n", "lockstep run-parts", lw / 1e6, lr / 1024
  printf "%-22s %9.1f ms %10.1f MiB\n", "Debian run-parts", dw / 1e6, dr / 1024
  printf "ratio (lockstep / Debian): %.3f\n", lw / dw
}'
