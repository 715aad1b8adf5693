#!/usr/bin/env bash
# Stop what the start-*.sh scripts started in DATADIR: SIGTERM each pid in DATADIR/*.pid, wait up to 30 s,
# then SIGKILL what is left; removes the pid files. A pid is only signalled while its command line still names
# DATADIR (all the start scripts pass DATADIR paths as arguments), so a stale pid file cannot hit a reused pid.
# Usage: scripts/stop-pids.sh DATADIR...
set -uo pipefail
. "$(cd "$(dirname "$0")" && pwd)/common.sh"
ours() { tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null | grep -qF "$2/"; }
pids=()
for d in "$@"; do
  [ -d "$d" ] || continue
  d=$(cd "$d" && pwd)
  for f in "$d"/*.pid; do
    [ -f "$f" ] || continue
    p=$(cat "$f"); rm -f "$f"
    ours "$p" "$d" && kill "$p" 2>/dev/null && pids+=("$p")
  done
done
[ ${#pids[@]} -eq 0 ] && exit 0
for _ in $(seq 300); do
  left=(); for p in "${pids[@]}"; do alive "$p" && left+=("$p"); done
  [ ${#left[@]} -eq 0 ] && exit 0
  sleep 0.1
done
kill -9 "${left[@]}" 2>/dev/null; echo "killed -9: ${left[*]}" >&2
