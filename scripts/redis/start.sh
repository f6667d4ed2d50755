#!/usr/bin/env bash
# Starts the two loopback Redis servers the queue-metric integration tests and bench use:
#   plain: 127.0.0.1:${REDIS_TEST_PORT:-6391}      with requirepass
#   TLS:   127.0.0.1:${REDIS_TEST_TLS_PORT:-6392}  with requirepass and a self-signed certificate
# Installs Debian's redis-server and openssl when missing (CI runs as root on Debian).
# Idempotent: a server that already answers is left alone. Stop them with scripts/redis/stop.sh.
# The defaults must match test/integration/redis-env.ts.
set -euo pipefail

PORT="${REDIS_TEST_PORT:-6391}"
TLS_PORT="${REDIS_TEST_TLS_PORT:-6392}"
PASSWORD="${REDIS_TEST_PASSWORD:-queue-metric-test-pass}"
DIR="${REDIS_TEST_DIR:-/tmp/queue-metric-redis}"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "scripts/redis/start.sh: need root (or sudo) to run: $*" >&2; return 1
  fi
}

if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1 || ! command -v openssl >/dev/null 2>&1; then
  echo "installing redis-server and openssl from the Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  # A policy-rc.d answering 101 keeps the package from starting its own service on 6379;
  # one that is already there is left as it is.
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    as_root sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d'
    made_policy=1
  fi
  as_root apt-get install -y -qq --no-install-recommends redis-server redis-tools openssl >/dev/null
  if [ "$made_policy" -eq 1 ]; then as_root rm -f /usr/sbin/policy-rc.d; fi
fi

mkdir -p "$DIR"
chmod 700 "$DIR"
# Test files call this script in parallel: one at a time makes the certificate and the servers.
exec 9>"$DIR/.lock"
if ! flock -w 60 9; then
  echo "scripts/redis/start.sh: another start still holds $DIR/.lock after 60 s" >&2
  exit 1
fi

alive() { [ -s "$DIR/$1.pid" ] && kill -0 "$(cat "$DIR/$1.pid")" 2>/dev/null; }

# Self-signed certificate for 127.0.0.1/localhost; the tests trust exactly this file. A new one
# (missing, or expiring within a day) means a running TLS server must be restarted to serve it.
if [ ! -s "$DIR/tls.crt" ] || [ ! -s "$DIR/tls.key" ] || ! openssl x509 -checkend 86400 -noout -in "$DIR/tls.crt" >/dev/null 2>&1; then
  if alive tls; then
    pid="$(cat "$DIR/tls.pid")"; kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  openssl req -x509 -newkey rsa:2048 -nodes -days 825 \
    -keyout "$DIR/tls.key" -out "$DIR/tls.crt" \
    -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -addext "basicConstraints=critical,CA:TRUE" >/dev/null 2>&1
  chmod 600 "$DIR/tls.key"
fi

plain_ping() { REDISCLI_AUTH="$PASSWORD" redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null; }
tls_ping() { REDISCLI_AUTH="$PASSWORD" redis-cli --tls --cacert "$DIR/tls.crt" -h 127.0.0.1 -p "$TLS_PORT" ping 2>/dev/null; }

# Settings both servers share: loopback only, no persistence, BullMQ's required eviction policy.
common=(--bind 127.0.0.1 --protected-mode yes --requirepass "$PASSWORD" --daemonize yes
  --save "" --appendonly no --maxmemory-policy noeviction --dir "$DIR")

start_plain() {
  redis-server "${common[@]}" --port "$PORT" \
    --pidfile "$DIR/plain.pid" --logfile "$DIR/plain.log" 9>&-
}
start_tls() {
  redis-server "${common[@]}" --port 0 --tls-port "$TLS_PORT" \
    --tls-cert-file "$DIR/tls.crt" --tls-key-file "$DIR/tls.key" --tls-ca-cert-file "$DIR/tls.crt" \
    --tls-auth-clients no \
    --pidfile "$DIR/tls.pid" --logfile "$DIR/tls.log" 9>&-
}

# The daemonized servers must not inherit fd 9 (`9>&-`), or they would hold the lock forever.
if [ "$(plain_ping)" != "PONG" ]; then start_plain; fi
if [ "$(tls_ping)" != "PONG" ]; then start_tls; fi

for i in $(seq 1 100); do
  plain="$(plain_ping || true)"
  tls="$(tls_ping || true)"
  if [ "$plain" = "PONG" ] && [ "$tls" = "PONG" ]; then
    echo "redis ready: plain 127.0.0.1:$PORT, tls 127.0.0.1:$TLS_PORT (cert $DIR/tls.crt)"
    exit 0
  fi
  # A server that answered a moment ago may have been shutting down: start it again once.
  if [ "$i" -eq 20 ]; then
    if [ "$plain" != "PONG" ] && ! alive plain; then start_plain; fi
    if [ "$tls" != "PONG" ] && ! alive tls; then start_tls; fi
  fi
  sleep 0.1
done

echo "scripts/redis/start.sh: redis did not answer within 10 s" >&2
tail -n 20 "$DIR/plain.log" "$DIR/tls.log" >&2 2>/dev/null || true
exit 1
