#!/usr/bin/env bash
# Start a standalone Flink session cluster (1 JobManager + N TaskManagers, separate JVMs) on 127.0.0.1, state under DATADIR.
# Usage: scripts/start-flink-cluster.sh REST_PORT DATADIR        Stop: scripts/stop-pids.sh DATADIR
# Then:  scripts/flink-cli.sh DATADIR run -d job.jar ...   |   curl 127.0.0.1:REST_PORT/jobs/overview
#        scripts/start-flink-taskmanager.sh DATADIR ID      (one more TaskManager, e.g. after killing one)
# Env: FLINK_VERSION (2.3.0), FLINK_TASKMANAGERS (1), FLINK_SLOTS (2), FLINK_RPC_PORT (REST_PORT+1),
#      FLINK_CONF: extra config.yaml lines "key: value" (flat keys); they replace the defaults below.
# DATADIR gets conf/ (config.yaml, log4j), log/, tmp/, checkpoints/, savepoints/, *.pid, flink-env.sh.
# Needs the Flink jars from scripts/install-test-deps.sh. Ready after ~7-9 s.
set -euo pipefail
PORT=${1:?usage: $0 REST_PORT DATADIR}; DATA=${2:?usage: $0 REST_PORT DATADIR}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/common.sh"
[ -f "$FLINK_LIB/.complete" ] || { echo "flink: no Flink $FLINK_VERSION jars in $FLINK_LIB: run scripts/install-test-deps.sh" >&2; exit 1; }
mkdir -p "$DATA"/{conf,log,tmp,checkpoints,savepoints}; DATA=$(cd "$DATA" && pwd)
if [ -f "$DATA/jobmanager.pid" ] && alive "$(cat "$DATA/jobmanager.pid")"; then
  echo "flink already running: rest=http://127.0.0.1:$PORT pid=$(cat "$DATA/jobmanager.pid")"; exit 0
fi

# Java 17 needs these (the same list as env.java.opts.all in Flink's own conf/config.yaml).
OPENS="--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED"
OPENS+=" --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED"
for p in java.lang java.net java.io java.nio sun.nio.ch java.lang.reflect java.text java.time java.util \
         java.util.concurrent java.util.concurrent.atomic java.util.concurrent.locks; do OPENS+=" --add-opens=java.base/$p=ALL-UNNAMED"; done
PLUGINS=$DATA/plugins; mkdir -p "$PLUGINS"
[ -d "$FLINK_HOME_DIR/plugins" ] && PLUGINS=$FLINK_HOME_DIR/plugins
cat > "$DATA/flink-env.sh" <<ENV
FLINK_LIB=$FLINK_LIB
FLINK_REST_PORT=$PORT
export FLINK_CONF_DIR=$DATA/conf
export FLINK_PLUGINS_DIR=$PLUGINS
FLINK_JAVA_OPTS="$OPENS"
ENV

RPC=${FLINK_RPC_PORT:-$((PORT + 1))}
for p in "$PORT" "$RPC"; do   # a busy port would make us talk to someone else's cluster
  port_in_use "$p" && { echo "flink: port $p on 127.0.0.1 is already in use" >&2; exit 1; }
done
{ printf '%s\n' "${FLINK_CONF:-}"; cat <<CONF; } | awk -F': ' 'NF>1 && !seen[$1]++' > "$DATA/conf/config.yaml"
jobmanager.rpc.address: 127.0.0.1
jobmanager.rpc.port: $RPC
jobmanager.bind-host: 127.0.0.1
jobmanager.memory.process.size: 1g
jobmanager.execution.failover-strategy: region
taskmanager.host: 127.0.0.1
taskmanager.bind-host: 127.0.0.1
taskmanager.numberOfTaskSlots: ${FLINK_SLOTS:-2}
taskmanager.memory.process.size: 1536m
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: $PORT
parallelism.default: 1
io.tmp.dirs: $DATA/tmp
web.tmpdir: $DATA/tmp/web
execution.checkpointing.dir: file://$DATA/checkpoints
execution.checkpointing.savepoint-dir: file://$DATA/savepoints
heartbeat.interval: 2s
heartbeat.timeout: 20s
CONF
cat > "$DATA/conf/log4j.properties" <<'LOG'
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
appender.main.name = MainAppender
appender.main.type = File
appender.main.fileName = ${sys:log.file}
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
logger.netty.name = org.jboss.netty.channel.DefaultChannelPipeline
logger.netty.level = OFF
LOG
printf '%s\n' 'rootLogger.level = WARN' 'rootLogger.appenderRef.e.ref = e' 'appender.e.type = Console' 'appender.e.name = e' \
  'appender.e.target = SYSTEM_ERR' 'appender.e.layout.type = PatternLayout' 'appender.e.layout.pattern = %p %c - %m%n' \
  'logger.cli.name = org.apache.flink.client.cli.CliFrontend' 'logger.cli.level = ERROR' > "$DATA/conf/log4j-cli.properties"

. "$DATA/flink-env.sh"
for f in "$DATA"/log/*.log "$DATA"/log/*.out; do [ -f "$f" ] && mv "$f" "$f.old"; done   # readiness is read from fresh logs
# bin/jobmanager.sh computes the JVM memory flags with BashJavaUtils; so do we (line 1: JVM flags, line 2: -D dynamic properties).
PARAMS=$(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$FLINK_LIB/*" org.apache.flink.runtime.util.bash.BashJavaUtils GET_JM_RESOURCE_PARAMS --configDir "$FLINK_CONF_DIR" 2>&1) \
  || { echo "flink config error:" >&2; echo "$PARAMS" | tail -n 20 >&2; exit 1; }
PARAMS=$(echo "$PARAMS" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p')
nohup java $(echo "$PARAMS" | head -n1) $FLINK_JAVA_OPTS -Dlog.file="$DATA/log/jobmanager.log" \
  -Dlog4j.configurationFile="file:$FLINK_CONF_DIR/log4j.properties" -cp "$FLINK_LIB/*" \
  org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint --configDir "$FLINK_CONF_DIR" $(echo "$PARAMS" | tail -n1) \
  > "$DATA/log/jobmanager.out" 2>&1 < /dev/null &
JM=$!; echo $JM > "$DATA/jobmanager.pid"

fail() {
  set +e
  echo "flink cluster failed to start: $1; errors and log tails ($DATA/log):" >&2
  for f in "$DATA"/log/*.log "$DATA"/log/*.out; do [ -s "$f" ] || continue
    echo "== $f" >&2; grep -E "ERROR|Exception|Caused by" "$f" | head -n 8 >&2; tail -n 5 "$f" >&2; done
  "$HERE/stop-pids.sh" "$DATA"
  exit 1
}
# TaskManagers start right away: they retry until the JobManager's resource manager is up, so both JVMs boot in parallel.
N=${FLINK_TASKMANAGERS:-1}
for i in $(seq "$N"); do "$HERE/start-flink-taskmanager.sh" "$DATA" "$i" --no-wait || fail "taskmanager $i"; done
READY=
for _ in $(seq 1200); do   # ready = REST up (in this cluster's log), all TaskManagers registered, their slots reported
  OV=
  grep -q "Rest endpoint listening at" "$DATA/log/jobmanager.log" 2>/dev/null && OV=$(curl -sf "127.0.0.1:$PORT/overview" || true)
  [[ $OV =~ \"taskmanagers\":([0-9]+) ]] && TMS=${BASH_REMATCH[1]} || TMS=0
  [[ $OV =~ \"slots-total\":([0-9]+) ]] && SLOTS=${BASH_REMATCH[1]} || SLOTS=0
  REG=$(cat "$DATA"/log/taskmanager-*.log 2>/dev/null | grep -c "Successful registration at resource manager" || true)
  [ "$REG" -ge "$N" ] && [ "$TMS" -ge "$N" ] && [ "$SLOTS" -gt 0 ] && READY=1 && break
  for f in "$DATA"/*.pid; do alive "$(cat "$f")" || fail "$(basename "$f" .pid) exited"; done
  sleep 0.1
done
[ -n "$READY" ] || fail "REST endpoint or $N taskmanager(s) not ready after 120 s"
echo "flink ready: rest=http://127.0.0.1:$PORT version=$FLINK_VERSION taskmanagers=$N slots-total=$SLOTS jobmanager.pid=$JM log=$DATA/log"
