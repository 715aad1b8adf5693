#!/usr/bin/env bash
# Start s3proxy (the S3 API, path-style, SigV2/V4) on 127.0.0.1:PORT, objects under DATADIR/blobs ("filesystem-nio2":
# one file per object, metadata in xattrs, so put objects in through the S3 API only, never by copying files there).
# Usage: scripts/start-s3proxy.sh PORT DATADIR
#   -> prints one "s3proxy ready: ..." line; DATADIR/s3proxy.pid holds the pid (stop: scripts/stop-pids.sh DATADIR); log DATADIR/s3proxy.log
# Needs: Java and org.gaul:s3proxy:2.6.0:jar-with-dependencies in ~/.m2 (scripts/install-test-deps.sh). Ready in ~2-3 s.
# Env: S3_ACCESS_KEY (test-access-key), S3_SECRET_KEY (test-secret-key), S3PROXY_JAR.
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/common.sh"
PORT=${1:?usage: $0 PORT DATADIR}; DATA=${2:?usage: $0 PORT DATADIR}
S3PROXY_VERSION=${S3PROXY_VERSION:-2.6.0}
JAR=${S3PROXY_JAR:-$HOME/.m2/repository/org/gaul/s3proxy/$S3PROXY_VERSION/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar}
[ -f "$JAR" ] || { echo "s3proxy: $JAR missing: run scripts/install-test-deps.sh" >&2; exit 1; }
if port_in_use "$PORT"; then echo "s3proxy: port $PORT is already in use" >&2; exit 1; fi
ACCESS_KEY=${S3_ACCESS_KEY:-test-access-key}; SECRET_KEY=${S3_SECRET_KEY:-test-secret-key}
mkdir -p "$DATA/blobs"; DATA=$(cd "$DATA" && pwd)

cat > "$DATA/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$ACCESS_KEY
s3proxy.credential=$SECRET_KEY
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$DATA/blobs
jclouds.identity=unused
jclouds.credential=unused
PROPS

java -Xmx256m -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener \
  -jar "$JAR" --properties "$DATA/s3proxy.properties" > "$DATA/s3proxy.log" 2>&1 < /dev/null &
echo $! > "$DATA/s3proxy.pid"

deadline=$((SECONDS + ${S3PROXY_START_TIMEOUT:-60}))
while [ $SECONDS -lt $deadline ]; do
  if grep -q "Started ServerConnector" "$DATA/s3proxy.log" 2>/dev/null; then
    echo "s3proxy ready: endpoint=http://127.0.0.1:$PORT region=us-east-1 path-style access_key=$ACCESS_KEY pid=$(cat "$DATA/s3proxy.pid") log=$DATA/s3proxy.log"
    exit 0
  fi
  alive "$(cat "$DATA/s3proxy.pid")" || break
  sleep 0.3
done
echo "s3proxy failed to start on port $PORT; log tail:" >&2; tail -n 30 "$DATA/s3proxy.log" >&2
kill "$(cat "$DATA/s3proxy.pid")" 2>/dev/null || true
exit 1
