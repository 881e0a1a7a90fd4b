#!/usr/bin/env bash
# Redraws docs/fleet-report.png and docs/history-report.png: a small rollout of four hosts on the
# local backend (one fails in post_update, one gives up waiting), a few refresh runs of
# examples/refresh, each drawn by lockstep and photographed by headless chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(pwd)/src/Lockstep/bin/Release/net10.0/linux-x64/lockstep
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

host() { # host ID [extra main lines]: a host directory with one script a step
  local dir="$work/$1"
  mkdir -p "$dir"
  for step in needs_update pre_update update needs_reboot post_update; do
    mkdir -p "$dir/$step.d"
    printf '#!/bin/sh\nsleep 0.4\n[ "${FAIL_IN:-}" = "$LOCKSTEP_STEP" ] && exit 3\ncase "$LOCKSTEP_STEP" in needs_update) exit 1;; esac\nexit 0\n' > "$dir/$step.d/10-$step"
    chmod 0755 "$dir/$step.d/10-$step"
  done
  chmod 0755 "$dir" "$dir"/*.d
  printf '[main]\nbackend = local\nlock_name = web\nholder_id = %s\nstate = var/update.state\nlock = var/update.lock\nlog = var/update.log\nlock_retry_interval = 0.5\n%s\n[local]\npath = %s/local.lock\n' \
    "$1" "${2:-}" "$work" > "$dir/update.ini"
}
shot() { chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
  --disable-sync --no-first-run --hide-scrollbars --user-data-dir="$work/profile" --window-size=1200,"$2" --screenshot="$3" "file://$1" 2>/dev/null; }

for id in web-1 web-2 web-3; do host "$id"; done
host web-4 "lock_wait_timeout = 2"
"$bin" update --config "$work/web-1/update.ini" >/dev/null 2>&1
"$bin" update --config "$work/web-2/update.ini" >/dev/null 2>&1
FAIL_IN=post_update "$bin" update --config "$work/web-3/update.ini" >/dev/null 2>&1 || true
"$bin" update --config "$work/web-4/update.ini" >/dev/null 2>&1 || true
"$bin" fleet report --html "$work/fleet.html" --config "$work/web-1/update.ini"
shot "$work/fleet.html" 620 docs/fleet-report.png

refresh=("$bin" refresh --base-dir examples/refresh --lockfile "$work/refresh.lock" --state-dir "$work/state")
"${refresh[@]}" >/dev/null 2>&1
WORKERS=none "${refresh[@]}" >/dev/null 2>&1 || true
"${refresh[@]}" >/dev/null 2>&1
"$bin" history --html "$work/history.html" --state-dir "$work/state"
shot "$work/history.html" 380 docs/history-report.png
