#!/usr/bin/env bash
# The Flink CLI (bin/flink) for the cluster that start-flink-cluster.sh started in DATADIR (it reads DATADIR/conf).
# Usage: scripts/flink-cli.sh DATADIR ACTION ARGS...   e.g.
#   flink-cli.sh DATADIR run job.jar ARGS           (attached: returns when the job ends; exit code != 0 if it failed)
#   flink-cli.sh DATADIR run -d job.jar ARGS        (detached: prints "Job has been submitted with JobID ...")
#   flink-cli.sh DATADIR list | cancel JOBID | stop JOBID  (stop = stop-with-savepoint into DATADIR/savepoints)
#   flink-cli.sh DATADIR run -d -s SAVEPOINT job.jar ARGS
set -euo pipefail
DATA=$(cd "${1:?usage: $0 DATADIR ACTION ARGS...}" && pwd); shift
. "$DATA/flink-env.sh"
exec java $FLINK_JAVA_OPTS -Dlog4j.configurationFile="file:$FLINK_CONF_DIR/log4j-cli.properties" -cp "$FLINK_LIB/*" \
  org.apache.flink.client.cli.CliFrontend "$@"
