#!/usr/bin/env bash
# Install what the tests need that Maven does not bring: Debian's prometheus (with promtool) and curl, and the
# jars of a standalone Flink cluster (copied from Maven into a cache; there is no Flink binary distribution on Maven).
# Idempotent: a second run changes nothing and takes ~1 s. apt packages need root (or sudo).
# Usage: scripts/install-test-deps.sh
# Env:   FLINK_VERSION (2.3.0), FLINK_RULER_CACHE (~/.cache/flink-ruler): the Flink jars go to $FLINK_RULER_CACHE/flink-V/lib
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/common.sh"

apt_install() {   # apt_install PKG...: installs the missing ones, running apt-get update once first
  local missing=() p
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo > /dev/null || { echo "install-test-deps: need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -qq
  # No recommends: prometheus recommends node-exporter, which the tests do not use. The tests start the
  # prometheus binary themselves; the package's own service is not needed.
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
  echo "installed: ${missing[*]}"
}

fetch_jars() {   # fetch_jars DEST DEPENDENCY-XML...: copy the runtime closure of the dependencies into DEST
  local dest=$1; shift
  [ -f "$dest/.complete" ] && return 0
  local tmp; tmp=$(mktemp -d)
  printf '%s\n' '<project><modelVersion>4.0.0</modelVersion>' \
    '<groupId>flink-ruler-test-deps</groupId><artifactId>flink-lib</artifactId><version>1</version><packaging>pom</packaging><dependencies>' \
    "$@" '</dependencies></project>' > "$tmp/pom.xml"
  rm -rf "$dest"; mkdir -p "$dest"
  (cd "$tmp" && mvn -B -Dstyle.color=never org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$dest" > "$tmp/mvn.log" 2>&1) \
    || { tail -n 40 "$tmp/mvn.log" >&2; rm -rf "$tmp" "$dest"; echo "install-test-deps: fetching the Flink jars into $dest failed" >&2; exit 1; }
  rm -rf "$tmp"; touch "$dest/.complete"; echo "installed: $dest ($(ls "$dest" | wc -l) jars)"
}
dep() { echo "<dependency><groupId>$1</groupId><artifactId>$2</artifactId><version>$3</version></dependency>"; }

apt_install prometheus curl
command -v promtool > /dev/null || { echo "install-test-deps: promtool missing although prometheus is installed" >&2; exit 1; }

# The Flink "lib/" of a distribution, rebuilt from Maven: clients + streaming runtime + web UI/REST + RPC loader +
# RocksDB + file connector (which also bundles flink-connector-base) + log4j2 as Flink's own logging.
F=org.apache.flink; L=org.apache.logging.log4j; LOG4J=2.24.3
fetch_jars "$FLINK_LIB" "$(dep $F flink-clients "$FLINK_VERSION")" "$(dep $F flink-streaming-java "$FLINK_VERSION")" \
  "$(dep $F flink-runtime-web "$FLINK_VERSION")" "$(dep $F flink-rpc-akka-loader "$FLINK_VERSION")" \
  "$(dep $F flink-statebackend-rocksdb "$FLINK_VERSION")" "$(dep $F flink-connector-files "$FLINK_VERSION")" \
  "$(dep $F flink-connector-datagen "$FLINK_VERSION")" \
  "$(dep $L log4j-slf4j-impl $LOG4J)" "$(dep $L log4j-core $LOG4J)" "$(dep $L log4j-1.2-api $LOG4J)"
echo "test deps ready: $(prometheus --version 2>&1 | head -n1 | cut -d' ' -f1-3), flink $FLINK_VERSION jars in $FLINK_LIB"

# ---- OpenStack Swift for the swift:// filesystem tests (block owned by the swift branch) ----------------------
# Debian's Swift 2.30 (TempAuth; the proxy pipeline of scripts/start-swift.sh needs none of the recommended
# keystone/barbican packages) and memcached, which TempAuth keeps its tokens in. The packages' own services are not
# started (policy-rc.d); scripts/start-swift.sh runs the servers as plain processes. apt_install skips what is there.
apt_install swift swift-proxy swift-account swift-container swift-object memcached
command -v swift-proxy-server > /dev/null || { echo "install-test-deps: swift-proxy-server missing after install" >&2; exit 1; }
echo "swift test deps ready: $(dpkg-query -W -f='${Version}' swift-proxy 2>/dev/null | sed 's/^/swift /'), $(memcached -V 2>&1)"

# ---- Kafka broker for the Kafka source tests (block owned by the kafka branch) --------------------------------
# A KRaft broker (broker + controller in one JVM) run from Maven jars by scripts/start-kafka.sh: kafka_2.13 and its
# runtime closure, with log4j2 as its logging. No CLI tools: the tests use kafka-clients from Maven. Idempotent.
KAFKA_VERSION=${KAFKA_VERSION:-4.1.0}
KAFKA_LIBS=${FLINK_RULER_CACHE:-$HOME/.cache/flink-ruler}/kafka-$KAFKA_VERSION/libs
fetch_jars "$KAFKA_LIBS" "$(dep org.apache.kafka kafka_2.13 "$KAFKA_VERSION")" \
  "$(dep $L log4j-slf4j-impl $LOG4J)" "$(dep $L log4j-core $LOG4J)"
echo "kafka test deps ready: kafka $KAFKA_VERSION jars in $KAFKA_LIBS"

# ---- Object stores for the rule-storage tests (block owned by the storage branch) ------------------------------
# s3proxy (S3 API; one runnable jar from Maven Central, into ~/.m2), Azurite (Azure Blob emulator; npm) and, with
# the argument `gcs` or GCS_EMULATOR=1, firebase-tools for its Cloud Storage emulator (~300 MB, ~1.5 min; the GCS
# tests skip without it). Node.js + npm come from Debian when missing. Each step is skipped when already done.
S3PROXY_VERSION=${S3PROXY_VERSION:-2.6.0}; AZURITE_VERSION=3.37.0; FIREBASE_TOOLS_VERSION=15.34.2
S3PROXY_JAR=$HOME/.m2/repository/org/gaul/s3proxy/$S3PROXY_VERSION/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar
if [ ! -f "$S3PROXY_JAR" ]; then
  mvn -B -q -Dstyle.color=never dependency:get -Dartifact="org.gaul:s3proxy:$S3PROXY_VERSION:jar:jar-with-dependencies" -Dtransitive=false \
    || { echo "install-test-deps: downloading s3proxy $S3PROXY_VERSION failed" >&2; exit 1; }
  echo "installed: $S3PROXY_JAR"
fi
command -v npm > /dev/null || apt_install nodejs npm
npm_install() {   # npm_install DIR PACKAGE@VERSION CHECK-PATH: into DIR unless DIR/CHECK-PATH exists
  [ -e "$1/$3" ] && return 0
  mkdir -p "$1"
  npm install --prefix "$1" --no-audit --no-fund --loglevel=error "$2" > /dev/null \
    || { echo "install-test-deps: npm install $2 failed" >&2; exit 1; }
  echo "installed: $2 into $1"
}
CACHE=${FLINK_RULER_CACHE:-$HOME/.cache/flink-ruler}
npm_install "$CACHE/azurite-$AZURITE_VERSION" "azurite@$AZURITE_VERSION" node_modules/.bin/azurite-blob
if [[ " $* " == *" gcs "* || "${GCS_EMULATOR:-0}" == 1 ]]; then
  npm_install "$CACHE/firebase-tools-$FIREBASE_TOOLS_VERSION" "firebase-tools@$FIREBASE_TOOLS_VERSION" node_modules/firebase-tools/lib/emulator/storage
fi
echo "object store test deps ready: s3proxy $S3PROXY_VERSION, azurite $AZURITE_VERSION$([ -d "$CACHE/firebase-tools-$FIREBASE_TOOLS_VERSION/node_modules/firebase-tools" ] && echo ", firebase-tools $FIREBASE_TOOLS_VERSION (gcs emulator)")"
