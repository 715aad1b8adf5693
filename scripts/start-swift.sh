#!/usr/bin/env bash
# Start a one-node OpenStack Swift ("SAIO") with TempAuth on 127.0.0.1, all state under DATADIR.
# Ports: proxy PORT, account PORT+1, container PORT+2, object PORT+3, memcached PORT+4.
# Usage: scripts/start-swift.sh PORT DATADIR
#   -> prints one "swift ready: ..." line; DATADIR/pid lists all 5 pids (stop: kill $(cat DATADIR/pid)); logs in DATADIR/log
# Needs: Debian packages swift swift-proxy swift-account swift-container swift-object memcached
#        (scripts/install-test-deps.sh). Ready after ~8 s (~15 s on a busy machine).
# TempAuth users: test:tester / testing (account AUTH_test, .admin), admin:admin / admin (.reseller_admin).
# Keystone is not available here (no Debian keystone without a database service); tests fake it in-process.
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/common.sh"
PORT=${1:?usage: $0 PORT DATADIR}; DATA=${2:?usage: $0 PORT DATADIR}
for b in swift-ring-builder swift-proxy-server swift-account-server swift-container-server swift-object-server memcached; do
  command -v "$b" > /dev/null || { echo "swift: $b not on PATH: run scripts/install-test-deps.sh" >&2; exit 1; }
done
for p in $(seq "$PORT" $((PORT+4))); do   # the readiness check below cannot tell our servers from others
  if port_in_use "$p"; then echo "swift: port $p is already in use" >&2; exit 1; fi
done
mkdir -p "$DATA"; DATA=$(cd "$DATA" && pwd)
ETC=$DATA/etc; rm -rf "$ETC"; mkdir -p "$ETC" "$DATA/srv/d1" "$DATA/log"
A_PORT=$((PORT+1)); C_PORT=$((PORT+2)); O_PORT=$((PORT+3)); M_PORT=$((PORT+4))

cat > "$ETC/swift.conf" <<CONF
[swift-hash]
swift_hash_path_suffix = flink-ruler-test
swift_hash_path_prefix = flink-ruler-test
[storage-policy:0]
name = Policy-0
default = yes
CONF

# swift_dir makes every server read swift.conf and the rings from $ETC instead of /etc/swift.
common() { printf '[DEFAULT]\nbind_ip = 127.0.0.1\nbind_port = %s\nworkers = 0\nuser = %s\nswift_dir = %s\ndevices = %s\nmount_check = false\nlog_level = INFO\n\n' \
  "$1" "$(id -un)" "$ETC" "$DATA/srv"; }
for kind in account container object; do
  case $kind in account) p=$A_PORT;; container) p=$C_PORT;; object) p=$O_PORT;; esac
  { common "$p"; printf '[pipeline:main]\npipeline = healthcheck %s-server\n\n[app:%s-server]\nuse = egg:swift#%s\n\n[filter:healthcheck]\nuse = egg:swift#healthcheck\n' \
      "$kind" "$kind" "$kind"; } > "$ETC/$kind-server.conf"
  # one partition power 6, one replica, one device "d1"
  swift-ring-builder "$ETC/$kind.builder" create 6 1 1 > /dev/null
  swift-ring-builder "$ETC/$kind.builder" add "r1z1-127.0.0.1:$p/d1" 100 > /dev/null
  swift-ring-builder "$ETC/$kind.builder" rebalance > /dev/null
done

{ common "$PORT"; cat <<CONF
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats tempauth copy slo dlo proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
allow_account_management = true

[filter:tempauth]
use = egg:swift#tempauth
user_admin_admin = admin .admin .reseller_admin
user_test_tester = testing .admin

# TempAuth keeps its tokens in memcached: without a running memcached every token is rejected.
[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$M_PORT

[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
CONF
} > "$ETC/proxy-server.conf"

: > "$DATA/pid"
memcached -l 127.0.0.1 -p "$M_PORT" -U 0 -m 64 -u "$(id -un)" > "$DATA/log/memcached.log" 2>&1 < /dev/null &
echo $! >> "$DATA/pid"
for kind in account container object proxy; do
  # -v: log to the console (Swift logs to syslog otherwise)
  "swift-$kind-server" "$ETC/$kind-server.conf" -v > "$DATA/log/$kind.log" 2>&1 < /dev/null &
  echo $! >> "$DATA/pid"
done

# ~8 s idle, ~15 s beside other servers, ~50 s seen on a 2-core machine under full load: allow 120 s
deadline=$((SECONDS + ${SWIFT_START_TIMEOUT:-120}))
while [ $SECONDS -lt $deadline ]; do
  ok=1
  for p in $A_PORT $C_PORT $O_PORT $PORT; do
    [ "$(curl -s --max-time 2 "http://127.0.0.1:$p/healthcheck" || true)" = OK ] || ok=0
  done
  for pid in $(cat "$DATA/pid"); do alive "$pid" || ok=dead; done
  [ "$ok" = dead ] && break
  if [ "$ok" = 1 ]; then
    echo "swift ready: auth=http://127.0.0.1:$PORT/auth/v1.0 (X-Auth-User: test:tester, X-Auth-Key: testing)" \
         "storage_url=http://127.0.0.1:$PORT/v1/AUTH_test pids=$(tr '\n' ' ' < "$DATA/pid")log=$DATA/log"
    exit 0
  fi
  sleep 0.5
done
echo "swift failed to start (proxy port $PORT); log tails:" >&2
for f in "$DATA"/log/*.log; do echo "== $f" >&2; tail -n 15 "$f" >&2; done
kill $(cat "$DATA/pid") 2>/dev/null || true
exit 1
