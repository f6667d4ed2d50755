#!/usr/bin/env bash
# Stops the servers scripts/redis/start.sh started, by the pids it recorded, and waits until they
# have exited (a server still shutting down answers PING, and start.sh would take it for running).
set -euo pipefail
DIR="${REDIS_TEST_DIR:-/tmp/queue-metric-redis}"
for name in plain tls; do
  pidfile="$DIR/$name.pid"
  if [ -s "$pidfile" ]; then
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      echo "stopped redis ($name, pid $pid)"
    fi
    rm -f "$pidfile"
  fi
done
