#!/usr/bin/env bash
# Start Azurite's Blob service (the Azure Storage emulator) on 127.0.0.1:PORT, data under DATADIR/blobs.
# Account devstoreaccount1 with the emulator's well-known key. Hadoop's wasb:// emulator mode (what the ruler uses for
# that account) is hard-wired to 127.0.0.1:10000: use PORT 10000 for it.
# Usage: scripts/start-azurite.sh PORT DATADIR
#   -> prints one "azurite ready: ..." line; DATADIR/azurite.pid holds the pid (stop: scripts/stop-pids.sh DATADIR); log DATADIR/azurite.log
# Needs: Node.js and the npm package azurite, installed by scripts/install-test-deps.sh into
#        $FLINK_RULER_CACHE/azurite-3.37.0. Ready in ~2 s.
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/common.sh"
PORT=${1:?usage: $0 PORT DATADIR}; DATA=${2:?usage: $0 PORT DATADIR}
AZURITE_DIR=${FLINK_RULER_CACHE:-$HOME/.cache/flink-ruler}/azurite-${AZURITE_VERSION:-3.37.0}
BIN=$AZURITE_DIR/node_modules/.bin/azurite-blob
[ -x "$BIN" ] || { echo "azurite: $BIN missing: run scripts/install-test-deps.sh" >&2; exit 1; }
if port_in_use "$PORT"; then echo "azurite: port $PORT is already in use" >&2; exit 1; fi
mkdir -p "$DATA/blobs"; DATA=$(cd "$DATA" && pwd)

"$BIN" --blobHost 127.0.0.1 --blobPort "$PORT" --location "$DATA/blobs" \
  --skipApiVersionCheck --loose --disableTelemetry > "$DATA/azurite.log" 2>&1 < /dev/null &
echo $! > "$DATA/azurite.pid"

deadline=$((SECONDS + ${AZURITE_START_TIMEOUT:-60}))
while [ $SECONDS -lt $deadline ]; do
  if grep -q "successfully listens" "$DATA/azurite.log" 2>/dev/null; then
    echo "azurite ready: blob endpoint=http://127.0.0.1:$PORT/devstoreaccount1 account=devstoreaccount1 pid=$(cat "$DATA/azurite.pid") log=$DATA/azurite.log"
    exit 0
  fi
  alive "$(cat "$DATA/azurite.pid")" || break
  sleep 0.3
done
echo "azurite failed to start on port $PORT; log tail:" >&2; tail -n 30 "$DATA/azurite.log" >&2
kill "$(cat "$DATA/azurite.pid")" 2>/dev/null || true
exit 1
