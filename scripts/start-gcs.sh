#!/usr/bin/env bash
# Start a Google Cloud Storage JSON-API emulator on 127.0.0.1:PORT: the Cloud Storage emulator inside the npm package
# firebase-tools, run WITHOUT its Java security-rules runtime (which needs a jar downloaded from Google at start; the
# JSON API does not use it). No authentication; buckets appear with their first object; objects live in memory.
# This uses firebase-tools internals: the version is pinned (15.34.2, as installed by install-test-deps.sh).
# Usage: scripts/start-gcs.sh PORT DATADIR
#   -> prints one "gcs ready: ..." line; DATADIR/gcs.pid holds the pid (stop: scripts/stop-pids.sh DATADIR); log DATADIR/gcs.log
# Needs: Node.js and firebase-tools (~300 MB), installed by `scripts/install-test-deps.sh gcs` into
#        $FLINK_RULER_CACHE/firebase-tools-15.34.2. Ready in ~1-2 s.
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/common.sh"
PORT=${1:?usage: $0 PORT DATADIR}; DATA=${2:?usage: $0 PORT DATADIR}
FIREBASE_DIR=${FLINK_RULER_CACHE:-$HOME/.cache/flink-ruler}/firebase-tools-${FIREBASE_TOOLS_VERSION:-15.34.2}
LIB=$FIREBASE_DIR/node_modules/firebase-tools/lib
[ -d "$LIB/emulator" ] || { echo "gcs: $LIB missing: run scripts/install-test-deps.sh gcs" >&2; exit 1; }
if port_in_use "$PORT"; then echo "gcs: port $PORT is already in use" >&2; exit 1; fi
mkdir -p "$DATA"; DATA=$(cd "$DATA" && pwd)

cat > "$DATA/gcs-emulator.js" <<JS
const { StorageEmulator } = require("$LIB/emulator/storage");
const { EmulatorRegistry } = require("$LIB/emulator/registry");
const emu = new StorageEmulator({ projectId: "demo-test", host: "127.0.0.1", port: $PORT, rules: [], auto_download: false });
emu._rulesRuntime.start = async () => {};   // Firebase security rules only: skipped
emu._rulesManager.start = async () => {};
EmulatorRegistry.start(emu).then(() => console.log("gcs emulator listening on 127.0.0.1:$PORT"),
                                 (e) => { console.error(e); process.exit(1); });
JS
# TMPDIR: the emulator keeps blob bytes under \$TMPDIR/firebase/storage/blobs
TMPDIR=$DATA node "$DATA/gcs-emulator.js" > "$DATA/gcs.log" 2>&1 < /dev/null &
echo $! > "$DATA/gcs.pid"

deadline=$((SECONDS + ${GCS_START_TIMEOUT:-60}))
while [ $SECONDS -lt $deadline ]; do
  if grep -q "gcs emulator listening" "$DATA/gcs.log" 2>/dev/null; then
    echo "gcs ready: endpoint=http://127.0.0.1:$PORT (JSON API /storage/v1, uploads /upload/storage/v1) no auth pid=$(cat "$DATA/gcs.pid") log=$DATA/gcs.log"
    exit 0
  fi
  alive "$(cat "$DATA/gcs.pid")" || break
  sleep 0.3
done
echo "gcs emulator failed to start on port $PORT; log tail:" >&2; tail -n 30 "$DATA/gcs.log" >&2
kill "$(cat "$DATA/gcs.pid")" 2>/dev/null || true
exit 1
