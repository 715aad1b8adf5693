#!/usr/bin/env bash
# Start Debian's Prometheus on 127.0.0.1:PORT as a remote-write receiver and PromQL oracle; TSDB in DATADIR/tsdb.
# Old and out-of-order samples are accepted (out_of_order_time_window 100y, retention 100y); nothing is scraped.
# Blocks already in DATADIR/tsdb (e.g. from `promtool tsdb create-blocks-from openmetrics FILE DATADIR/tsdb`) are served.
# Usage: scripts/start-prometheus.sh PORT DATADIR
#   -> pid in DATADIR/prometheus.pid, log in DATADIR/prometheus.log; stop with scripts/stop-pids.sh DATADIR
# Needs: Debian package prometheus (scripts/install-test-deps.sh). Ready after ~0.3 s.
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/common.sh"
PORT=${1:?usage: $0 PORT DATADIR}; DATA=${2:?usage: $0 PORT DATADIR}
command -v prometheus > /dev/null || { echo "prometheus not on PATH: run scripts/install-test-deps.sh" >&2; exit 1; }
# a busy port would let the readiness probe below see someone else's server
if port_in_use "$PORT"; then echo "prometheus: port $PORT is already in use" >&2; exit 1; fi
mkdir -p "$DATA/tsdb"; DATA=$(cd "$DATA" && pwd)

cat > "$DATA/prometheus.yml" <<CONF
global:
  scrape_interval: 1h
storage:
  tsdb:
    out_of_order_time_window: 100y
CONF

[ -f "$DATA/prometheus.log" ] && mv "$DATA/prometheus.log" "$DATA/prometheus.log.old"
prometheus --config.file="$DATA/prometheus.yml" --storage.tsdb.path="$DATA/tsdb" \
  --storage.tsdb.retention.time=100y --web.listen-address="127.0.0.1:$PORT" \
  --web.enable-remote-write-receiver > "$DATA/prometheus.log" 2>&1 < /dev/null &
PID=$!; echo $PID > "$DATA/prometheus.pid"

for _ in $(seq 300); do
  if grep -q "Server is ready to receive web requests" "$DATA/prometheus.log" \
     && [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/-/ready" || true)" = 200 ]; then
    echo "prometheus ready: remote-write=http://127.0.0.1:$PORT/api/v1/write query=http://127.0.0.1:$PORT/api/v1/query pid=$PID log=$DATA/prometheus.log"
    exit 0
  fi
  alive $PID || break
  sleep 0.1
done
echo "prometheus failed to start on port $PORT; log tail:" >&2; tail -n 30 "$DATA/prometheus.log" >&2
kill $PID 2>/dev/null || true; rm -f "$DATA/prometheus.pid"
exit 1
