# Sourced by the other scripts.
# Where install-test-deps.sh puts the Flink jars. Env: FLINK_VERSION (2.3.0), FLINK_RULER_CACHE (~/.cache/flink-ruler)
FLINK_VERSION=${FLINK_VERSION:-2.3.0}
FLINK_HOME_DIR=${FLINK_RULER_CACHE:-$HOME/.cache/flink-ruler}/flink-$FLINK_VERSION
FLINK_LIB=$FLINK_HOME_DIR/lib

# alive PID: the process exists and is not a zombie (a killed child whose new parent never reaps it still
# answers kill -0; some container init processes do not reap)
alive() { kill -0 "$1" 2>/dev/null && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat" 2>/dev/null; }

# port_in_use PORT: something accepts connections on 127.0.0.1:PORT
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
