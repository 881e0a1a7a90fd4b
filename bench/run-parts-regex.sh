#!/usr/bin/env bash
# What reading RUN_PARTS_REGEX as grep -E costs: `lockstep run-parts --list` on 500 names with
# no RUN_PARTS_REGEX, with ASCII patterns in the C locale, with classes in C.UTF-8 (glibc asked
# for every code point's class), and with one name above U+FFFF (the second form of the pattern
# built); dib-run-parts' own `find | grep -E | sort -n` on the same directory for reference.
# Alternating rounds (each round runs every contender once); median wall, highest peak RSS.
# Usage: bench/run-parts-regex.sh [ROUNDS (default 21)]   (LOCKSTEP_BIN: a built binary to use)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-21}
[ -x /usr/bin/time ] || { echo "GNU time is needed: apt-get install time" >&2; exit 1; }
lockstep=${LOCKSTEP_BIN:-$(./tools/publish)}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export lockstep work
mkdir "$work/parts" "$work/astral"
for i in $(seq -w 1 500); do
  printf '#!/bin/sh\n' >"$work/parts/$i-noop-café"
  printf '#!/bin/sh\n' >"$work/astral/$i-noop-café"
done
printf '#!/bin/sh\n' >"$work/astral/999-😀"
chmod -R u=rwX,go=rX "$work"
chmod 755 "$work"/parts/* "$work"/astral/*

now() { local t=$EPOCHREALTIME; echo "${t/[.,]/}"; }
elapsed() { local s e; s=$(now); "$@" >/dev/null 2>&1; e=$(now); echo $((e - s)); }
# Peak RSS (KiB) of a contender, from GNU time (the shell that starts it is smaller than lockstep).
peak_rss() { /usr/bin/time -f '%M' bash -c "$(declare -f "$1"); $1" 2>&1 >/dev/null | tail -n 1; }

unset RUN_PARTS_REGEX
default() { env LC_ALL=C "$lockstep" run-parts --list "$work/parts"; }
ascii() { env LC_ALL=C RUN_PARTS_REGEX='^[0-9]+-[a-z-]+' "$lockstep" run-parts --list "$work/parts"; }
classes() { env LC_ALL=C.UTF-8 RUN_PARTS_REGEX='^[[:digit:]]+-[[:alpha:]-]+$' "$lockstep" run-parts --list "$work/parts"; }
astral() { env LC_ALL=C.UTF-8 RUN_PARTS_REGEX='^[[:digit:]]+-[[:alpha:]-]+$' "$lockstep" run-parts --list "$work/astral"; }
boundary() { env LC_ALL=C.UTF-8 RUN_PARTS_REGEX='\<noop\>' "$lockstep" run-parts --list "$work/parts"; }
dib() { find "$work/parts" -maxdepth 1 -xtype f -executable -printf '%f\n' | LC_ALL=C.UTF-8 grep -E '^[[:digit:]]+-[[:alpha:]-]+$' | LANG=C sort -n; }
contenders=(default ascii classes astral boundary dib)

declare -A times rss
for _ in $(seq "$rounds"); do
  for c in "${contenders[@]}"; do times[$c]+="$(elapsed "$c") "; done
done
for c in "${contenders[@]}"; do
  [ "$c" = dib ] && continue
  rss[$c]=$(for _ in 1 2 3; do peak_rss "$c"; done | sort -n | tail -n 1)
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]/1000}'; }
printf '%-10s %12s %14s\n' contender 'median ms' 'peak RSS KiB'
for c in "${contenders[@]}"; do
  printf '%-10s %12s %14s\n' "$c" "$(median <<<"${times[$c]}")" "${rss[$c]:--}"
done
