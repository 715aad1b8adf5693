#!/usr/bin/env bash
# Start one more TaskManager for the cluster that start-flink-cluster.sh set up in DATADIR (e.g. to replace a killed one).
# Usage: scripts/start-flink-taskmanager.sh DATADIR [ID] [--no-wait]   (ID default 1; pid in DATADIR/taskmanager-ID.pid,
#        log in DATADIR/log/taskmanager-ID.log, stdout of the job's print() in DATADIR/log/taskmanager-ID.out)
# Its resource id is tm-ID; waits (max 60 s) until it has registered at the JobManager, unless --no-wait.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/common.sh"
DATA=$(cd "${1:?usage: $0 DATADIR [ID] [--no-wait]}" && pwd); ID=${2:-1}
. "$DATA/flink-env.sh"
if [ -f "$DATA/taskmanager-$ID.pid" ]; then   # give a just-killed one (kill -9 is not instant) 5 s to go away
  OLD=$(cat "$DATA/taskmanager-$ID.pid")
  for _ in $(seq 50); do alive "$OLD" || break; sleep 0.1; done
  alive "$OLD" && { echo "taskmanager $ID already running: pid=$OLD"; exit 0; }
fi
LOG=$DATA/log/taskmanager-$ID
for f in "$LOG.log" "$LOG.out"; do [ -f "$f" ] && mv "$f" "$f.old"; done   # the wait below reads the fresh log
# bin/taskmanager.sh derives the memory flags and -D properties with BashJavaUtils; TaskManagerRunner refuses to start without them.
PARAMS=$(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$FLINK_LIB/*" org.apache.flink.runtime.util.bash.BashJavaUtils GET_TM_RESOURCE_PARAMS --configDir "$FLINK_CONF_DIR" 2>&1) \
  || { echo "flink config error:" >&2; echo "$PARAMS" | tail -n 20 >&2; exit 1; }
PARAMS=$(echo "$PARAMS" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p')
nohup java $(echo "$PARAMS" | head -n1) $FLINK_JAVA_OPTS -Dlog.file="$LOG.log" \
  -Dlog4j.configurationFile="file:$FLINK_CONF_DIR/log4j.properties" -cp "$FLINK_LIB/*" \
  org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$FLINK_CONF_DIR" $(echo "$PARAMS" | tail -n1) -D taskmanager.resource-id=tm-$ID \
  > "$LOG.out" 2>&1 < /dev/null &
TM=$!; echo $TM > "$DATA/taskmanager-$ID.pid"
[ "${3:-}" = "--no-wait" ] && exit 0
for _ in $(seq 600); do
  grep -q "Successful registration at resource manager" "$LOG.log" 2>/dev/null && { echo "taskmanager $ID ready: id=tm-$ID pid=$TM"; exit 0; }
  alive $TM || break
  sleep 0.1
done
set +e; echo "taskmanager $ID did not register; log tail:" >&2; tail -n 20 "$LOG.log" "$LOG.out" >&2
kill $TM 2>/dev/null; rm -f "$DATA/taskmanager-$ID.pid"; exit 1
