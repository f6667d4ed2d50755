#!/usr/bin/env bash
# Stops the servers scripts/redis/start.sh started, by the pids it recorded.
set -euo pipefail
DIR="${REDIS_TEST_DIR:-/tmp/queue-metric-redis}"
for name in plain tls; do
  pidfile="$DIR/$name.pid"
  if [ -s "$pidfile" ]; then
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then kill "$pid"; echo "stopped redis ($name, pid $pid)"; fi
    rm -f "$pidfile"
  fi
done
