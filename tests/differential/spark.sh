#!/usr/bin/env bash
# A Spark standalone cluster on this machine for the differential test: one master and two
# workers on 127.0.0.1, each a JVM of its own, started with the launcher that comes with
# pyspark (no separate Spark download).
#
#   spark.sh start    start it (if not already up), wait until both workers are ALIVE, print
#                     the master URL (spark://127.0.0.1:7077) on stdout
#   spark.sh stop     stop what start started (by pid files) and wait for it to exit
#   spark.sh status   print the master URL and the workers that are ALIVE
#
# Exit codes: 0 done; 1 failed (start prints the tail of the logs); 3 cannot run here (no Java
# 17+, or no pyspark in the Python): callers skip the Spark runs with the reason on stderr.
#
# Environment: BONEGRAPH_PYTHON (a Python with pyspark; default target/differential-venv/bin/
# python), JAVA_HOME (default: from the java on PATH), SPARK_MASTER_PORT (7077),
# SPARK_MASTER_WEBUI_PORT (8080), SPARK_WORKER_MEMORY (2g each), SPARK_WORKER_CORES (1 each),
# BONEGRAPH_SPARK_TIMEOUT (seconds to wait for the workers; 90).
# Logs, pid files and work directories are under target/spark/.
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
dir=$root/target/spark
workers=2

die3() { echo "spark.sh: $*" >&2; exit 3; }

# The recorded ports of a cluster this script started, else the configured ones.
load_ports() {
    if [ -f "$dir/cluster.env" ]; then
        # shellcheck disable=SC1091
        . "$dir/cluster.env"
    else
        port=${SPARK_MASTER_PORT:-7077}
        ui=${SPARK_MASTER_WEBUI_PORT:-8080}
    fi
    url=spark://127.0.0.1:$port
}

# Processes named in pid files that are still running.
running() {
    local f pid
    for f in "$dir"/*.pid; do
        [ -f "$f" ] || continue
        pid=$(cat "$f")
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then echo "$pid"; fi
    done
}

# The master's JSON status (empty if it does not answer).
master_json() {
    "$py" - "$ui" <<'EOF' 2>/dev/null
import sys, urllib.request
print(urllib.request.urlopen("http://127.0.0.1:%s/json/" % sys.argv[1], timeout=5).read().decode())
EOF
}

# Number of ALIVE workers, one line per worker ("id host:port cores memory") after it.
alive() {
    master_json | "$py" -c '
import json, sys
try:
    s = json.load(sys.stdin)
except Exception:
    print(0); sys.exit(0)
w = [w for w in s.get("workers", []) if w.get("state") == "ALIVE"]
print(len(w))
for x in w:
    print(x["id"], "%s:%s" % (x["host"], x["port"]), "cores=%s" % x["cores"], "memory=%sM" % x["memory"])
'
}

find_python() {
    py=${BONEGRAPH_PYTHON:-$root/target/differential-venv/bin/python}
    [ -x "$py" ] || command -v "$py" >/dev/null 2>&1 || die3 "no Python at $py (set BONEGRAPH_PYTHON, or run tests/differential/python.sh)"
}

check_tools() {
    find_python
    spark_home=$("$py" -c 'import pyspark, os; print(os.path.dirname(pyspark.__file__))' 2>/dev/null) ||
        die3 "$py cannot import pyspark (pip install pyspark==4.3.0)"
    [ -x "$spark_home/bin/spark-class" ] || die3 "no bin/spark-class in $spark_home"
    if [ -z "${JAVA_HOME:-}" ]; then
        local java
        java=$(command -v java) || die3 "no java on PATH and JAVA_HOME unset (Spark 4 needs Java 17+)"
        java=$(readlink -f "$java")
        JAVA_HOME=${java%/bin/java}
    fi
    [ -x "$JAVA_HOME/bin/java" ] || die3 "no $JAVA_HOME/bin/java (Spark 4 needs Java 17+)"
    local v major
    v=$("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -1)
    major=${v%%.*}
    [ "$major" = 1 ] && major=$(echo "$v" | cut -d. -f2)
    case $major in '' | *[!0-9]*) die3 "cannot tell the version of $JAVA_HOME/bin/java" ;; esac
    [ "$major" -ge 17 ] || die3 "$JAVA_HOME/bin/java is Java $v; Spark 4 needs Java 17+"
    export JAVA_HOME SPARK_HOME=$spark_home
}

port_free() {
    "$py" - "$1" <<'EOF'
import socket, sys
# SO_REUSEADDR as the JVM's servers set it, so connections of a stopped cluster still in
# TIME_WAIT do not count: only a listener does.
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
EOF
}

show_logs() {
    local f
    for f in "$dir"/logs/*.out; do
        [ -f "$f" ] || continue
        echo "==> $f <==" >&2
        tail -n 30 "$f" >&2
    done
}

stop() {
    local pids pid i
    pids=$(running)
    for pid in $pids; do kill "$pid" 2>/dev/null; done
    for i in $(seq 1 60); do
        [ -z "$(running)" ] && break
        sleep 0.5
    done
    for pid in $(running); do kill -9 "$pid" 2>/dev/null; done
    rm -f "$dir"/*.pid "$dir/cluster.env"
    return 0
}

start() {
    check_tools
    mkdir -p "$dir/logs"
    load_ports
    if [ -f "$dir/master.pid" ] && [ -n "$(running)" ]; then
        if [ "$(alive | head -1)" = "$workers" ]; then
            echo "$url"
            return 0
        fi
        echo "spark.sh: a cluster from an earlier start is not healthy; restarting it" >&2
    fi
    stop
    port=${SPARK_MASTER_PORT:-7077}
    ui=${SPARK_MASTER_WEBUI_PORT:-8080}
    url=spark://127.0.0.1:$port
    port_free "$port" || { echo "spark.sh: port $port is in use (set SPARK_MASTER_PORT)" >&2; return 1; }
    port_free "$ui" || { echo "spark.sh: port $ui is in use (set SPARK_MASTER_WEBUI_PORT)" >&2; return 1; }
    printf 'port=%s\nui=%s\n' "$port" "$ui" >"$dir/cluster.env"
    rm -f "$dir"/logs/*.out
    mkdir -p "$dir/conf"
    # An empty conf directory, so no spark-env.sh or spark-defaults.conf from elsewhere applies.
    export SPARK_CONF_DIR=$dir/conf SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_HOSTNAME=localhost
    export SPARK_LOCAL_DIRS=$dir/tmp PYSPARK_PYTHON=$py
    mkdir -p "$SPARK_LOCAL_DIRS"
    local t0=$SECONDS i n
    nohup "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master \
        --host 127.0.0.1 --port "$port" --webui-port "$ui" \
        >"$dir/logs/master.out" 2>&1 </dev/null &
    echo $! >"$dir/master.pid"
    for i in $(seq 1 "$workers"); do
        mkdir -p "$dir/work$i"
        # Worker web UIs on ports of their own choosing (0), so none collides with another.
        nohup "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker \
            --host 127.0.0.1 --webui-port 0 \
            --cores "${SPARK_WORKER_CORES:-1}" --memory "${SPARK_WORKER_MEMORY:-2g}" \
            --work-dir "$dir/work$i" "$url" \
            >"$dir/logs/worker$i.out" 2>&1 </dev/null &
        echo $! >"$dir/worker$i.pid"
    done
    local timeout=${BONEGRAPH_SPARK_TIMEOUT:-90}
    while :; do
        n=$(alive | head -1)
        if [ "$n" = "$workers" ]; then
            echo "spark.sh: master and $workers workers up in $((SECONDS - t0)) s" >&2
            echo "$url"
            return 0
        fi
        if [ $((SECONDS - t0)) -ge "$timeout" ] || [ "$(running | wc -l)" -lt $((workers + 1)) ]; then
            echo "spark.sh: ${n:-0} of $workers workers ALIVE after $((SECONDS - t0)) s; logs:" >&2
            show_logs
            stop
            return 1
        fi
        sleep 1
    done
}

status() {
    find_python
    load_ports
    if [ -z "$(running)" ]; then
        echo "no cluster running (from this script)"
        return 1
    fi
    local out
    out=$(alive)
    echo "$url: $(echo "$out" | head -1) workers ALIVE"
    echo "$out" | tail -n +2
}

case ${1:-} in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *)
        echo "usage: $0 start|stop|status" >&2
        exit 2
        ;;
esac
