#!/usr/bin/env bash
# Start a single-node Kafka (KRaft: broker and controller in one JVM, no ZooKeeper) on 127.0.0.1:PORT, controller on
# PORT+1, data and logs under DATADIR. Topics are not created automatically (tests create theirs with the partitions
# they need); offsets and transaction topics have replication factor 1.
# Usage: scripts/start-kafka.sh PORT DATADIR
#   -> pid in DATADIR/kafka.pid, log in DATADIR/kafka.log; stop with scripts/stop-pids.sh DATADIR
# Env: KAFKA_VERSION (4.1.0), KAFKA_HEAP_OPTS (-Xms128m -Xmx512m), KAFKA_EXTRA_PROPS (more server.properties lines)
# Needs: the Kafka jars that scripts/install-test-deps.sh copies from Maven. Ready after ~4-6 s on an idle machine (format included), ~15-25 s on a busy one.
# Re-running on the same DATADIR keeps its topics (the log dir is formatted once).
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/common.sh"
PORT=${1:?usage: $0 PORT DATADIR}; DATA=${2:?usage: $0 PORT DATADIR}
CPORT=$((PORT + 1))
KAFKA_LIBS=${FLINK_RULER_CACHE:-$HOME/.cache/flink-ruler}/kafka-${KAFKA_VERSION:-4.1.0}/libs
[ -f "$KAFKA_LIBS/.complete" ] || { echo "kafka jars missing in $KAFKA_LIBS: run scripts/install-test-deps.sh" >&2; exit 1; }
# a busy port would let the readiness check below see someone else's broker
for p in "$PORT" "$CPORT"; do
  if port_in_use "$p"; then echo "kafka: port $p is already in use" >&2; exit 1; fi
done
mkdir -p "$DATA"; DATA=$(cd "$DATA" && pwd)

cat > "$DATA/server.properties" <<CONF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CPORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CPORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$DATA/logs
auto.create.topics.enable=false
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# record timestamps are sample times, possibly years old (backfills): keep such records, delete nothing by age
log.retention.ms=-1
log.message.timestamp.before.max.ms=9223372036854775807
${KAFKA_EXTRA_PROPS:-}
CONF
cat > "$DATA/log4j2.properties" <<'CONF'
rootLogger.level=INFO
rootLogger.appenderRef.out.ref=out
appender.out.type=Console
appender.out.name=out
appender.out.layout.type=PatternLayout
appender.out.layout.pattern=[%d] %p %m (%c)%n
logger.cleaner.name=kafka.log.LogCleaner
logger.cleaner.level=WARN
CONF

JAVA_OPTS=(-Djava.awt.headless=true "-Dlog4j2.configurationFile=$DATA/log4j2.properties")
if [ ! -f "$DATA/logs/meta.properties" ]; then   # KRaft needs its log dir formatted once, with a cluster id
  CID=$(java "${JAVA_OPTS[@]}" -cp "$KAFKA_LIBS/*" kafka.tools.StorageTool random-uuid)
  java "${JAVA_OPTS[@]}" -cp "$KAFKA_LIBS/*" kafka.tools.StorageTool format -t "$CID" -c "$DATA/server.properties" > "$DATA/format.log" 2>&1 \
    || { echo "kafka storage format failed:" >&2; tail -n 20 "$DATA/format.log" >&2; exit 1; }
fi

[ -f "$DATA/kafka.log" ] && mv "$DATA/kafka.log" "$DATA/kafka.log.old"
# shellcheck disable=SC2086
nohup java ${KAFKA_HEAP_OPTS:--Xms128m -Xmx512m} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 "${JAVA_OPTS[@]}" \
  -cp "$KAFKA_LIBS/*" kafka.Kafka "$DATA/server.properties" > "$DATA/kafka.log" 2>&1 < /dev/null &
PID=$!; echo $PID > "$DATA/kafka.pid"
for _ in $(seq 900); do   # 90 s: a loaded machine
  if grep -q "Kafka Server started" "$DATA/kafka.log" 2>/dev/null; then
    echo "kafka ready: bootstrap=127.0.0.1:$PORT controller=127.0.0.1:$CPORT pid=$PID log=$DATA/kafka.log"; exit 0
  fi
  alive $PID || break
  sleep 0.1
done
echo "kafka failed to start on 127.0.0.1:$PORT; errors and log tail ($DATA/kafka.log):" >&2
grep -E "ERROR|Exception|Caused by" "$DATA/kafka.log" | head -n 10 >&2 || true; tail -n 10 "$DATA/kafka.log" >&2 || true
kill $PID 2>/dev/null || true
for _ in $(seq 50); do alive $PID || break; sleep 0.1; done
kill -9 $PID 2>/dev/null || true; rm -f "$DATA/kafka.pid"
exit 1
