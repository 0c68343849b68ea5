#!/usr/bin/env bash
# Single-node OpenSearch 2.19 for development and CI, built from Maven Central jars only
# (no tarball, no docker; see pom.xml and Main.java).
#   usage: ops/opensearch/opensearch.sh start|stop|status     env: OPENSEARCH_PORT (default 9200)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT="${OPENSEARCH_PORT:-9200}"
URL="http://127.0.0.1:$PORT"
NODE_DIR="${TMPDIR:-/tmp}/noko-opensearch-$PORT"   # node home: data/, node.log, node.pid
LOG="$NODE_DIR/node.log"
PID_FILE="$NODE_DIR/node.pid"
STAMP="$HERE/target/.built"                         # touched after a successful build

J17=/usr/lib/jvm/java-17-openjdk-amd64               # OpenSearch 2.19 targets Java 17
if [[ -x "$J17/bin/java" ]]; then export JAVA_HOME="$J17"; JAVA="$J17/bin/java"; else JAVA=java; fi

answers() { curl -fs -o /dev/null --max-time 2 "$URL${1:-/}"; }

alive() {  # pid file points to a live process that is really our node (guards against pid reuse)
  [[ -f "$PID_FILE" ]] && ps -p "$(cat "$PID_FILE")" -o args= 2>/dev/null | grep -q noko.opensearch.Main
}

build() {  # rebuild only when target/ is missing or pom.xml / src/ changed since the last build
  if [[ -f "$STAMP" ]] && ! find "$HERE/pom.xml" "$HERE/src" -newer "$STAMP" | grep -q .; then return; fi
  echo "Building OpenSearch node (mvn package) ..."
  local blog; blog="$(mktemp)"
  # Offline first (fast, works without network once ~/.m2 is warm), then online.
  # `clean` so that a changed pom never leaves stale jars in target/lib.
  if ! (cd "$HERE" && { mvn -q -B -o clean package >"$blog" 2>&1 || mvn -q -B clean package >"$blog" 2>&1; }); then
    cat "$blog" >&2; rm -f "$blog"; echo "Build failed" >&2; exit 1
  fi
  rm -f "$blog"; touch "$STAMP"
}

start() {
  if answers; then echo "OpenSearch already answers at $URL"; return 0; fi
  if ! alive; then  # not even starting yet: fresh data dir, (re)build if needed, launch
    build
    rm -rf "$NODE_DIR"; mkdir -p "$NODE_DIR"
    OPENSEARCH_PORT="$PORT" nohup "$JAVA" ${OPENSEARCH_JAVA_OPTS:--Xms256m -Xmx512m} \
      -cp "$HERE/target/classes:$HERE/target/lib/*" noko.opensearch.Main "$NODE_DIR" \
      </dev/null >"$LOG" 2>&1 &
    echo $! >"$PID_FILE"
  fi
  local deadline=$((SECONDS + 90))
  while ((SECONDS < deadline)); do
    if answers "/_cluster/health?wait_for_status=yellow&timeout=1s"; then
      echo "OpenSearch up at $URL (pid $(cat "$PID_FILE"), log $LOG)"; return 0
    fi
    alive || break  # died early: no point waiting
    sleep 1
  done
  echo "OpenSearch did not become healthy at $URL; last log lines ($LOG):" >&2
  tail -n 40 "$LOG" >&2 || true
  if alive; then kill "$(cat "$PID_FILE")" || true; fi  # keep NODE_DIR for inspection
  exit 1
}

stop() {
  if alive; then
    local pid; pid="$(cat "$PID_FILE")"
    kill "$pid"  # SIGTERM -> shutdown hook closes the node cleanly
    for _ in $(seq 30); do alive || break; sleep 1; done
    if alive; then echo "Node did not exit in 30 s, killing" >&2; kill -9 "$pid" || true; fi
    echo "OpenSearch stopped (pid $pid)"
  else
    echo "OpenSearch not running (no live pid in $PID_FILE)"
  fi
  rm -rf "$NODE_DIR"
}

status() {
  if answers; then echo "running at $URL$(alive && echo " (pid $(cat "$PID_FILE"))")"; return 0; fi
  if alive; then echo "starting (pid $(cat "$PID_FILE")), not answering yet at $URL"; return 1; fi
  echo "not running"; return 3
}

case "${1:-}" in
  start|stop|status) "$1" ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
